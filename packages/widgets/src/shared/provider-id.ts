/** The four vendors Tsunagu connects to, as the server names them in its API (the contract's list). */
export { type ProviderId, providerIds } from "@tsunagu/contract";
