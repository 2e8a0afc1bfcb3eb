/**
 * One OAuth round trip at a time, for the element: in a popup (opened inside
 * the click), in the page itself (redirect mode, offered when the popup is
 * blocked), and the return from redirect mode. It keeps which card is busy
 * and which card's popup was blocked; what an outcome means for the page
 * (reload, toast, event) is the element's, through `settled` and `failed`.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { ApiClientController } from "../shared/api-client-controller.ts";
import { clientErrorCodes, isAbortError, TsunaguApiError } from "../shared/api-error.ts";
import { loadErrorMessagesOf } from "../shared/localize-controller.ts";
import { type ProviderId, providerIds } from "../shared/provider-id.ts";
import { type FlowStatus, flowPath, type StartedFlow, startPath } from "./accounts-api.ts";
import { type CardKey, cardKey, type CardKind } from "./cards.ts";
import { type LinkOutcome, openPopup } from "./popup-link.ts";
import { claimRedirectReturn, returnUrl } from "./redirect-return.ts";

export interface LinkControllerOptions {
  api: ApiClientController;
  /** Where the begin form is put while it is submitted: the element's shadow root. */
  formParent: () => ParentNode;
  /** `popup` (redirect offered when blocked) or `redirect` (always). */
  mode: () => "popup" | "redirect";
  /** A round trip ended: linked, refused, or the popup closed without a link. Not called on Cancel. */
  settled: (kind: CardKind, provider: ProviderId, outcome: LinkOutcome) => Promise<void>;
  /** Starting failed, or the flow's status could not be read. `key` is undefined for a redirect return that names no
   * card. */
  failed: (key: CardKey | undefined, error: unknown) => void;
}

interface Activity {
  key: CardKey;
  phase: "starting" | "waiting";
  controller: AbortController;
}

export class LinkController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: LinkControllerOptions;
  #activity: Activity | undefined;
  /** The card whose popup the browser blocked: it offers redirect mode. */
  blocked: CardKey | undefined;

  constructor(host: ReactiveControllerHost, options: LinkControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    // Closes the popup too: nobody is left to hear its answer.
    this.#activity?.controller.abort();
    this.#activity = undefined;
  }

  get busy(): boolean {
    return this.#activity !== undefined;
  }

  /** `starting` or `waiting` when this card's round trip is under way. */
  phaseOf(key: CardKey): Activity["phase"] | undefined {
    return this.#activity?.key === key ? this.#activity.phase : undefined;
  }

  /** Call it synchronously in the click handler: the popup must open before anything is awaited. */
  link(kind: CardKind, provider: ProviderId): void {
    if (this.#activity) return;
    this.blocked = undefined;
    if (this.#options.mode() === "redirect") {
      void this.linkInPage(kind, provider);
      return;
    }
    const popup = openPopup();
    if (!popup) {
      this.blocked = cardKey(kind, provider);
      this.#host.requestUpdate();
      return;
    }
    void this.#linkInPopup(kind, provider, popup);
  }

  /** Redirect mode: the page itself goes to the provider and comes back to this URL. */
  async linkInPage(kind: CardKind, provider: ProviderId): Promise<void> {
    if (this.#activity) return;
    this.blocked = undefined;
    const activity = this.#begin(cardKey(kind, provider));
    const steps = linkSteps();
    try {
      const started = await this.#options.api.post<StartedFlow>(
        startPath(provider),
        { purpose: purposeOf(kind), returnMode: "redirect", returnUrl: returnUrl() },
        { signal: activity.controller.signal },
      );
      // The activity stays: the page is leaving.
      (await steps).submitBegin(this.#options.formParent(), started, "_self");
    } catch (error) {
      this.#end(activity);
      if (!isAbortError(error)) await this.#failed(activity.key, error);
    }
  }

  /** Stops the round trip under way (closing its popup); returns the card it was for. */
  cancel(): CardKey | undefined {
    const activity = this.#activity;
    if (!activity) return undefined;
    activity.controller.abort();
    this.#end(activity);
    return activity.key;
  }

  /** After a redirect back: the server says how the flow ended (the query string is only a hint). */
  async takeRedirectReturn(): Promise<void> {
    const flow = claimRedirectReturn();
    if (!flow) return;
    let status: FlowStatus;
    let outcomeOfStatus: (status: FlowStatus) => LinkOutcome;
    try {
      const steps = linkSteps();
      status = await this.#options.api.get<FlowStatus>(flowPath(flow));
      ({ outcomeOfStatus } = await steps);
    } catch (error) {
      if (!isAbortError(error)) await this.#failed(undefined, error);
      return;
    }
    const provider = providerIds.find((candidate) => candidate === status.provider);
    if (!provider) return;
    await this.#options.settled(
      status.purpose === "org" ? "organization" : "personal",
      provider,
      outcomeOfStatus(status),
    );
  }

  async #linkInPopup(kind: CardKind, provider: ProviderId, popup: Window): Promise<void> {
    const activity = this.#begin(cardKey(kind, provider));
    const { signal } = activity.controller;
    const { api } = this.#options;
    const steps = linkSteps();
    try {
      const started = await api.post<StartedFlow>(
        startPath(provider),
        { purpose: purposeOf(kind), returnMode: "popup" },
        { signal },
      );
      const { submitBegin, waitForOutcome } = await steps;
      let outcome: LinkOutcome = { kind: "cancelled" };
      if (!popup.closed) {
        submitBegin(this.#options.formParent(), started, popup.name);
        this.#activity = { ...activity, phase: "waiting" };
        this.#host.requestUpdate();
        outcome = await waitForOutcome({
          popup,
          origin: new URL(started.url).origin,
          flow: started.flow,
          status: () => api.get<FlowStatus>(flowPath(started.flow), { signal }),
          signal,
        });
      }
      // The person pressed Cancel: nothing to announce.
      if (signal.aborted) return;
      this.#end(activity);
      await this.#options.settled(kind, provider, outcome);
    } catch (error) {
      if (!popup.closed) popup.close();
      this.#end(activity);
      if (!isAbortError(error)) await this.#failed(activity.key, error);
    }
  }

  /** Hands a failure on once the element's error messages are loaded, so the card shows it whole. */
  async #failed(key: CardKey | undefined, error: unknown): Promise<void> {
    await loadErrorMessagesOf(this.#host);
    this.#options.failed(key, error);
  }

  #begin(key: CardKey): Activity {
    const activity: Activity = { key, phase: "starting", controller: new AbortController() };
    this.#activity = activity;
    this.#host.requestUpdate();
    return activity;
  }

  #end(activity: Activity): void {
    if (this.#activity?.controller !== activity.controller) return;
    this.#activity = undefined;
    this.#host.requestUpdate();
  }
}

function purposeOf(kind: CardKind): "org" | "personal" {
  return kind === "organization" ? "org" : "personal";
}
/**
 * The begin form and the wait for the popup's outcome (link-steps.ts), a chunk of its own: only a page that links
 * something needs it. Fetched when a link starts, while the server answers start; a lost chunk fails as a network
 * error.
 */
function linkSteps(): Promise<typeof import("./link-steps.ts")> {
  const loading = import("./link-steps.ts").catch((error: unknown) => {
    throw new TsunaguApiError(0, clientErrorCodes.network, "Could not load the linking step.", { cause: error });
  });
  // Awaited only once start has answered; until then a failure is not unhandled.
  loading.catch(() => undefined);
  return loading;
}
