/**
 * What the OAuth engine asks of the rest of the server, as interfaces the
 * engine owns. The engine (src/oauth) knows flows, state, PKCE and adapters;
 * what a finished flow means (a stored link in src/accounts, a portal sign-in
 * in src/signin) and where organisation connections live are theirs. They
 * implement these ports and app.ts wires them in, so imports point one way:
 * accounts and signin import oauth, oauth imports neither.
 */
import type { ProviderId } from "../providers/errors.ts";
import type { TokenSet } from "../providers/types.ts";
import type { OrgScope } from "../store/tenancy.ts";
import type { ConnectionView, LinkAdapter, LinkAdapters, LinkFlow, LinkOutcome, LinkPurpose } from "./provider-link.ts";
import type { Refusal } from "./refusals.ts";

/** The tenant's organisation connection to a provider, as a completing flow sees it. */
export interface FlowConnection {
  view: ConnectionView;
  /** Its own tokens, refreshed when due; undefined when it holds none or needs linking again. */
  tokens(): Promise<TokenSet | undefined>;
}

/** Where organisation connections are found (src/accounts). */
export interface ConnectionAccess {
  find(scope: OrgScope, provider: ProviderId): Promise<FlowConnection | undefined>;
}

/** Runs `complete` alone among completions with the same key, across processes (adapters that serialise completions).
 * */
export type CompletionLock = <T>(key: string, complete: () => Promise<T>) => Promise<T>;

/** An adapter's outcome that ends a flow. */
export type FinalOutcome = Extract<LinkOutcome, { kind: "org" | "personal" }>;

/** How a purpose ended a flow: what the browser is told, and the row the flow produced. */
export type FlowResult =
  | {
      ok: true;
      status: "linked" | "signed_in";
      accountId?: string | undefined;
      connectionId?: string | undefined;
      assertion?: string | undefined;
    }
  | { ok: false; refusal: Refusal };

/** What a flow of one purpose needs beyond the round trip: its adapters, a last word on starting, and its end. */
export interface FlowPurpose {
  /** The adapters serving this purpose, by provider: the engine picks a flow's adapter here. */
  adapters: LinkAdapters;
  /** Throws an ApiError when this tenant may not start such a flow now (sign-in turned off). */
  assertMayStart(scope: OrgScope, provider: ProviderId): Promise<void>;
  /** Stores what the adapter returned and says what the browser is told; a refusal is a result, not a throw. */
  finish(flow: LinkFlow, outcome: FinalOutcome, adapter: LinkAdapter): Promise<FlowResult>;
}

/** The purposes this server serves; a purpose without an entry is refused at start. */
export type FlowPurposes = Partial<Record<LinkPurpose, FlowPurpose>>;
