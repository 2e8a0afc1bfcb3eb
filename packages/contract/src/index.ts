/**
 * The contract between the Tsunagu server and the widgets: what the API
 * names and answers, as types and constants only (no behaviour), so that
 * both sides compile against one list instead of keeping copies in step.
 */
export * from "./availability.ts";
export * from "./errors.ts";
export * from "./impact.ts";
export * from "./interviews.ts";
export * from "./providers.ts";
export * from "./scheduling-links.ts";
export * from "./status.ts";
export * from "./views.ts";
export * from "./zoom-hosts.ts";
