export interface TsunaguZoomHostChangedDetail {
  /** The chosen Zoom user (the element's `value`), or null when none is (no host can take the time, or the hosts could
   * not be loaded). */
  zoomUserId: string | null;
  /** Its name as the candidates list shows it. */
  displayName: string | null;
  /** True when the element chose (the server's pick, after a refresh); false when a person did. */
  auto: boolean;
}

/**
 * The Zoom host of a `<zoom-host-picker>` changed: a person chose another,
 * or a refresh for a new time or new participants moved the choice to the
 * server's pick. A person's choice also fires a plain `change`, as native
 * form controls do.
 */
export class TsunaguZoomHostChangedEvent extends CustomEvent<TsunaguZoomHostChangedDetail> {
  constructor(detail: TsunaguZoomHostChangedDetail) {
    super("tsunagu-zoom-host-changed", { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    "tsunagu-zoom-host-changed": TsunaguZoomHostChangedEvent;
  }
}
