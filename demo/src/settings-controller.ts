/**
 * What the portal's settings panels (working-hours-panel.ts, days-off-panel.ts) share: the host token, Tsunagu's API
 * and the viewer's language on the panel, the settings read from the API whenever the panel's server or token
 * provider changes, and every call's outcome: the last failure for the panel's alert (Tsunagu's error in the
 * viewer's language, or the panel's own words for a form it refuses before asking), the last confirmation for its
 * status line. A new call clears both.
 */
import { ApiClientController, HostTokenController, type HostTokenHost, LocalizeController } from "@tsunagu/widgets";

export class SettingsController<Settings> {
  readonly hostToken: HostTokenController;
  readonly api: ApiClientController;
  readonly localize: LocalizeController;
  /** The settings as the API last answered them; undefined until the first read. */
  settings: Settings | undefined;
  /** The last call's confirmation, for the panel's status line. */
  saved: string | undefined;
  /** The last call's failure: an error from the API, or the panel's own message. */
  private failure: unknown;

  constructor(
    private readonly host: HostTokenHost,
    private readonly read: (api: ApiClientController) => Promise<Settings>,
  ) {
    this.hostToken = new HostTokenController(host);
    this.api = new ApiClientController(host, this.hostToken);
    this.localize = new LocalizeController(host, { claims: () => this.hostToken.claims });
  }

  /** Reads the settings again; the panel calls it when its server or token provider changes. */
  load(): Promise<void> {
    return this.attempt(async () => {
      this.settings = await this.read(this.api);
    });
  }

  /** Runs a call: the words it answers are the confirmation; what it throws, the failure. */
  async attempt(run: () => Promise<unknown>): Promise<void> {
    this.failure = undefined;
    this.saved = undefined;
    this.host.requestUpdate();
    try {
      const confirmation = await run();
      this.saved = typeof confirmation === "string" ? confirmation : undefined;
    } catch (error) {
      this.failure = error;
    }
    this.host.requestUpdate();
  }

  /** A form the panel refuses before asking the API, with the panel's own words. */
  refuse(message: string): void {
    this.saved = undefined;
    this.failure = message;
    this.host.requestUpdate();
  }

  /** The failure to show, in the viewer's language; undefined when the last call went well. */
  get error(): string | undefined {
    if (this.failure === undefined) return undefined;
    return typeof this.failure === "string" ? this.failure : this.localize.errorMessage(this.failure);
  }
}
