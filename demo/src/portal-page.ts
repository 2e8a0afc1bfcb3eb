/**
 * What every page of the portal shares: the Tsunagu server, the signed-in
 * user's token provider and the page's language, and the widgets' own
 * controllers to call the server with them (the token is renewed before it
 * runs out, and once more when the server refuses it).
 */
import { ApiClientController, HostTokenController, type HostTokenProvider, LocalizeController } from "@tsunagu/widgets";
import { LitElement } from "lit";
import { property } from "lit/decorators.js";
import { type PortalStrings, portalStrings } from "./strings.ts";
import type { PortalLanguage, PortalUser } from "./users.ts";

export class PortalPage extends LitElement {
  @property() server: string | null = null;
  @property({ attribute: false }) tokenProvider: HostTokenProvider | null = null;
  /** The portal's language: its pages and the widgets speak it. */
  @property() locale: PortalLanguage = "ja";
  @property({ attribute: false }) user: PortalUser | null = null;

  protected readonly hostToken = new HostTokenController(this);
  protected readonly api = new ApiClientController(this, this.hostToken);
  protected readonly localize = new LocalizeController(this, { claims: () => this.hostToken.claims });

  // The widgets' error messages load per language; render once ours is here.
  protected override async scheduleUpdate(): Promise<void> {
    await this.localize.ready();
    super.scheduleUpdate();
  }

  protected get text(): PortalStrings {
    return portalStrings[this.locale];
  }

  /**
   * Admins and recruiters book, change and cancel interviews and offer scheduling links; assistants only read
   * them, guests take part in interviews and see none. The server holds the same rules (routes/interviews.ts).
   */
  protected get canBook(): boolean {
    return this.user?.role === "admin" || this.user?.role === "recruiter";
  }

  protected get canReadInterviews(): boolean {
    return this.canBook || this.user?.role === "assistant";
  }

  /** Why this user finds no booking action here. */
  protected get cannotBookNote(): string {
    return this.text.cannotBook[this.user?.role === "assistant" ? "assistant" : "guest"];
  }

  /** "2026年12月3日（木）14:00〜15:00" in the viewer's zone, the widgets' and the server's one way of writing it. */
  protected timeSpan(start: string, end: string): string {
    return this.localize.when(start, end, { withYear: true });
  }

  protected get isAdmin(): boolean {
    return this.user?.role === "admin";
  }
}
