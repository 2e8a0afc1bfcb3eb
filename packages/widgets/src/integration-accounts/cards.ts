/**
 * The two sections as templates: the organisation's connections (admins)
 * and the viewer's own accounts, one card per provider. State and actions
 * come from the element through `CardsContext`; nothing here fetches.
 */
import { html, nothing, type TemplateResult } from "lit";
import { TsunaguApiError } from "../shared/api-error.ts";
import { type ButtonTone, renderButton } from "../shared/button.ts";
import { type BadgeTone, renderBadge, renderInlineError } from "../shared/card.ts";
import { below, heading, type HeadingLevel } from "../shared/heading.ts";
import type { LocalizeController } from "../shared/localize-controller.ts";
import type { ProviderId } from "../shared/provider-id.ts";
import { statusReasons as knownReasons } from "@tsunagu/contract";
import type { Account, Connection } from "./accounts-api.ts";

export type CardKind = "organization" | "personal";

/** `organization:slack`, `personal:zoom`: names a card for state, focus and tests. */
export type CardKey = `${CardKind}:${ProviderId}`;

export const cardKey = (kind: CardKind, provider: ProviderId): CardKey => `${kind}:${provider}`;

export type UnlinkTarget =
  | { kind: "personal"; provider: ProviderId; account: Account }
  | { kind: "organization"; provider: ProviderId; connection: Connection };

export interface CardState {
  /** Linking in progress here: `starting` until the server answers, then `waiting` for the popup. */
  activity?: "starting" | "waiting" | undefined;
  /** The popup was blocked: offer redirect mode. */
  blocked?: boolean | undefined;
  error?: unknown;
}

export interface CardsContext {
  localize: LocalizeController;
  level: HeadingLevel;
  viewerIsAdmin: boolean;
  /** True while any action runs: every other action waits (aria-disabled, so focus stays put). */
  busy: boolean;
  /** The account whose action is running (set default). */
  accountInFlight: string | undefined;
  card(key: CardKey): CardState;
  link(kind: CardKind, provider: ProviderId): void;
  cancelLink(): void;
  continueOnThisPage(kind: CardKind, provider: ProviderId): void;
  dismissError(key: CardKey): void;
  setDefault(account: Account): void;
  requestUnlink(target: UnlinkTarget, trigger: HTMLElement): void;
}

export function renderOrganizationSection(
  context: CardsContext,
  providers: readonly ProviderId[],
  connections: readonly Connection[],
): TemplateResult {
  const { localize, level } = context;
  return html`
    <section part="section organization" aria-labelledby="organization-heading">
      ${heading(level, "organization-heading", localize.term("organizationHeading"))}
      <p class="intro muted">${localize.term("organizationIntro")}</p>
      <ul class="cards" role="list">
        ${providers.map((provider) =>
          organizationCard(
            context,
            provider,
            connections.find((connection) => connection.provider === provider),
          ),
        )}
      </ul>
    </section>
  `;
}

function organizationCard(
  context: CardsContext,
  provider: ProviderId,
  connection: Connection | undefined,
): TemplateResult {
  const { localize } = context;
  const key = cardKey("organization", provider);
  const state = context.card(key);
  // What linking changes is busy, not the card: the progress line's live region in a busy card would not be heard.
  const busy = state.activity ? "true" : "false";
  const headingId = `card-${key.replace(":", "-")}`;
  // A provider that told no name (a Zoom account whose admin left the company empty): the kind of connection, with its
  // id beside it.
  const named = connection?.displayName && connection.displayName !== connection.externalId;
  const name = connection && (named ? connection.displayName : localize.term("connectionKind", provider));
  // The buttons' names start with the provider: the id, not "Google Google Workspace".
  const who = (named ? name : connection?.externalId) ?? "";
  return html`
    <li class="card" part="card organization-card" data-card=${key} data-provider=${provider}
      aria-labelledby=${headingId}>
      <div class="card-header">
        ${heading(below(context.level), headingId, localize.term("connectionKind", provider), "card-heading")}
        ${connection ? statusBadge(context, connection.status) : renderBadge(localize.term("notConnected"), "muted")}
      </div>
      ${
        connection
          ? html`<div class="identity" aria-busy=${busy}>
              <span class="name" part="account-name">${name}</span>
              ${connection.externalId !== name ? html`<span class="muted">${connection.externalId}</span>` : nothing}
              <span class="muted"
                >${localize.term("connectedOn", localize.day(connection.createdAt, { withYear: true }))}</span
              >
            </div>
            ${connection.status === "active" ? nothing : reason(context, connection.statusReason)}`
          : nothing
      }
      ${
        provider === "slack"
          ? nothing
          : html`<p class="muted note" part="note">${localize.term("organizationLinksAdmin", provider)}</p>`
      }
      ${cardStatus(context, key, provider)}
      ${actionsRow(
        context,
        key,
        provider,
        connection
          ? html`${button(context, {
              label: localize.term("reconnect"),
              name: localize.term("actionOn", localize.term("reconnect"), provider, who),
              tone: connection.status === "active" ? "" : "primary",
              primary: true,
              onClick: () => context.link("organization", provider),
            })}
            ${button(context, {
              label: localize.term("disconnect"),
              name: localize.term("actionOn", localize.term("disconnect"), provider, who),
              tone: "danger",
              onClick: (trigger) => context.requestUnlink({ kind: "organization", provider, connection }, trigger),
            })}`
          : button(context, {
              label: localize.term("connectOrganization", provider),
              tone: "primary",
              primary: true,
              onClick: () => context.link("organization", provider),
            }),
      )}
    </li>
  `;
}

export function renderPersonalSection(
  context: CardsContext,
  providers: readonly ProviderId[],
  connections: readonly Connection[],
  accounts: readonly Account[],
): TemplateResult {
  const { localize, level } = context;
  return html`
    <section part="section personal" aria-labelledby="personal-heading">
      ${heading(level, "personal-heading", localize.term("personalHeading"))}
      <p class="intro muted">${localize.term("personalIntro")}</p>
      <ul class="cards" role="list">
        ${providers.map((provider) =>
          personalCard(
            context,
            provider,
            connections.find((connection) => connection.provider === provider),
            accounts.filter((account) => account.provider === provider),
          ),
        )}
      </ul>
    </section>
  `;
}

function personalCard(
  context: CardsContext,
  provider: ProviderId,
  connection: Connection | undefined,
  accounts: readonly Account[],
): TemplateResult {
  const { localize } = context;
  const key = cardKey("personal", provider);
  const state = context.card(key);
  // What linking changes is busy, not the card: the progress line's live region in a busy card would not be heard.
  const busy = state.activity ? "true" : "false";
  const headingId = `card-${key.replace(":", "-")}`;
  return html`
    <li class="card" part="card personal-card" data-card=${key} data-provider=${provider} aria-labelledby=${headingId}>
      <div class="card-header">
        ${heading(below(context.level), headingId, localize.term("providerName", provider), "card-heading")}
        ${
          accounts.length > 0
            ? html`<span class="muted count">${localize.term("accountCount", accounts.length, provider)}</span>`
            : nothing
        }
      </div>
      ${
        connection === undefined
          ? html`<p class="notice" part="notice">
            ${
              accounts.some((account) => account.statusReason === "org_disconnected")
                ? localize.term("organizationDisconnected", provider, context.viewerIsAdmin)
                : localize.term("organizationMissing", provider, context.viewerIsAdmin)
            }
          </p>`
          : connection.status !== "active"
            ? html`<p class="notice"
              part="notice">${localize.term("organizationNeedsReauth", provider, context.viewerIsAdmin)}</p>`
            : nothing
      }
      ${
        accounts.length > 0
          ? html`<ul class="accounts" part="account-list" role="list" aria-busy=${busy}>
            ${accounts.map((account) => accountRow(context, account, connection, accounts.length))}
          </ul>`
          : connection
            ? html`<p class="empty muted" part="empty" aria-busy=${busy}>${localize.term("noAccounts", provider)}</p>`
            : nothing
      }
      ${cardStatus(context, key, provider, connection?.displayName)}
      ${
        connection || state.activity
          ? actionsRow(
              context,
              key,
              provider,
              connection
                ? button(context, {
                    label: localize.term(accounts.length > 0 ? "linkAnotherAccount" : "linkAccount", provider),
                    tone: accounts.length > 0 ? "" : "primary",
                    primary: true,
                    onClick: () => context.link("personal", provider),
                  })
                : nothing,
            )
          : nothing
      }
    </li>
  `;
}

/**
 * One account. "Link again" only while the organisation connection exists (a relink without it can only be refused);
 * "Make default"
 * on every other usable account as soon as there are two, whatever state the current default is in.
 */
function accountRow(
  context: CardsContext,
  account: Account,
  connection: Connection | undefined,
  accountCount: number,
): TemplateResult {
  const { localize } = context;
  const provider = account.provider;
  const who =
    account.email && account.email !== account.displayName
      ? `${account.displayName} (${account.email})`
      : account.displayName;
  const home =
    connection && connection.externalId === account.externalAccountId
      ? connection.displayName
      : account.externalAccountId;
  const on = (action: string) => localize.term("actionOn", action, provider, who);
  const homeLabel = localize.term("labelOf", localize.term("accountHome", provider));
  // While it works, its name says so too, and starts with what it shows, as the dialog's busy button.
  const makeDefault = localize.term(context.accountInFlight === account.id ? "working" : "makeDefault");
  return html`
    <li class="account" part="account" data-account=${account.id} tabindex="-1">
      <div class="identity">
        <span class="name" part="account-name">${account.displayName}</span>
        ${
          account.email && account.email !== account.displayName
            ? html`<span class="muted">${account.email}</span>`
            : nothing
        }
        ${home ? html`<span class="muted">${homeLabel}${home}</span>` : nothing}
      </div>
      <div class="badges">
        ${statusBadge(context, account.status)}
        ${account.isDefault ? renderBadge(localize.term("defaultAccount"), "muted", "default-badge") : nothing}
      </div>
      ${account.status === "active" ? nothing : reason(context, account.statusReason)}
      <div class="actions" part="actions">
        ${
          account.status !== "active" && connection !== undefined
            ? button(context, {
                label: localize.term("relink"),
                name: on(localize.term("relink")),
                tone: "primary",
                onClick: () => context.link("personal", provider),
              })
            : nothing
        }
        ${
          account.status === "active" && !account.isDefault && accountCount > 1
            ? button(context, { label: makeDefault, name: on(makeDefault), onClick: () => context.setDefault(account) })
            : nothing
        }
        ${button(context, {
          label: localize.term("unlink"),
          name: on(localize.term("unlink")),
          tone: "danger",
          onClick: (trigger) => context.requestUnlink({ kind: "personal", provider, account }, trigger),
        })}
      </div>
    </li>
  `;
}

const statusTones: Record<Account["status"], BadgeTone> = {
  active: "success",
  needs_reauth: "warning",
  revoked: "danger",
};

function statusBadge(context: CardsContext, status: Account["status"]): TemplateResult {
  return renderBadge(
    context.localize.term("accountStatus", status),
    statusTones[status],
    `status-badge status-${status}`,
  );
}

function reason(context: CardsContext, statusReason: string | null): TemplateResult {
  const known = knownReasons.find((candidate) => candidate === statusReason);
  return html`<p class="reason" part="status-reason">${
    known ? context.localize.term("statusReason", known) : context.localize.term("statusReasonOther")
  }</p>`;
}

/**
 * The card's buttons, or, while linking is under way, in their place: what to do, whole (it wraps), and a cancel
 * button that says the card's own verb. The words go into a live region that is always there, empty while nothing is
 * under way: a region that comes into the page with its words already in it is not reliably announced.
 */
function actionsRow(
  context: CardsContext,
  key: CardKey,
  provider: ProviderId,
  buttons: TemplateResult | typeof nothing,
): TemplateResult {
  const { localize } = context;
  const [kind] = key.split(":") as [CardKind];
  const activity = context.card(key).activity;
  const said =
    activity === undefined
      ? nothing
      : activity === "starting"
        ? localize.term("linkStarting")
        : localize.term("linkWaiting", provider);
  return html`<div class="actions ${activity ? "progress" : ""}" part=${activity ? "progress" : "actions"}>
    ${activity ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}
    <span class="progress-text" role="status" data-progress>${said}</span>
    ${
      activity
        ? renderButton({
            label: localize.term("cancelLinking", provider, kind),
            data: { cancel: true },
            onClick: () => context.cancelLink(),
          })
        : nothing
    }
    ${
      // Apart from Cancel, so that no button becomes another under the focus (the same template would reuse it).
      activity ? nothing : buttons
    }
  </div>`;
}

/** The popup-blocked offer, or the last failure of this card. */
function cardStatus(
  context: CardsContext,
  key: CardKey,
  provider: ProviderId,
  organizationName?: string,
): TemplateResult | typeof nothing {
  const { localize } = context;
  const [kind] = key.split(":") as [CardKind];
  const state = context.card(key);
  if (state.blocked) {
    // Said at once (an alert): nothing opened after the click, and a status that arrives with its words is not heard.
    return html`<div class="notice" part="notice" role="alert">
      <p>${localize.term("popupBlocked", provider)}</p>
      ${renderButton({
        label: localize.term("continueOnThisPage"),
        tone: "primary",
        data: { continue: true },
        onClick: () => context.continueOnThisPage(kind, provider),
      })}
    </div>`;
  }
  if (state.error !== undefined) {
    return renderInlineError(
      cardErrorMessage(context, provider, state.error, organizationName),
      localize.term("close"),
      () => context.dismissError(key),
    );
  }
  return nothing;
}

/** Refusals that read better with the card's provider: which button to press there, which workspace to sign in to. */
const wrongOrganizationCodes: readonly string[] = [
  "slack_wrong_workspace",
  "google_wrong_domain",
  "microsoft_wrong_tenant",
  "zoom_foreign_account",
];

function cardErrorMessage(
  context: CardsContext,
  provider: ProviderId,
  error: unknown,
  organizationName: string | undefined,
): string {
  const { localize } = context;
  if (error instanceof TsunaguApiError && error.code === "consent_denied")
    return localize.term("consentDenied", provider);
  if (error instanceof TsunaguApiError && organizationName && wrongOrganizationCodes.includes(error.code)) {
    return localize.term("sentences", [
      localize.errorMessage(error),
      localize.term("wrongOrganization", provider, organizationName),
    ]);
  }
  return localize.errorMessage(error);
}

interface CardButtonOptions {
  label: string;
  /** The accessible name when the label alone is ambiguous; it starts with the label. */
  name?: string;
  tone?: ButtonTone;
  /** The card's main action: focus lands here when the control that had it goes away. */
  primary?: boolean;
  onClick: (trigger: HTMLElement) => void;
}

/** A card's button: it waits while any action of the element runs. */
function button(context: CardsContext, options: CardButtonOptions): TemplateResult {
  return renderButton({ ...options, waiting: context.busy, data: { primary: options.primary === true } });
}
