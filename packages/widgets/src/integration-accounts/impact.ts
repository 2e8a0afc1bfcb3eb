/**
 * What stops working when an account or a connection goes, as feature keys.
 * The keys are the contract's (`@tsunagu/contract`): the organisation keys
 * are the ones the server lists after a disconnect; the element asks before
 * the action, so it words the same keys itself, in the viewer's language.
 */
export { accountImpact, connectionImpact } from "@tsunagu/contract";
