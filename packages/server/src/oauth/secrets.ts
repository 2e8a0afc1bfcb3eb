/**
 * The PKCE verifier of a flow, sealed by the vault for that flow alone: the
 * seal context names the flow, so a verifier copied to another flow row does
 * not open.
 */
import type { Vault } from "../vault/vault.ts";
import type { FlowRow } from "./flow-store.ts";

type FlowIdentity = Pick<FlowRow, "id" | "provider" | "host_id" | "org_id">;

const contextOf = (flow: FlowIdentity) => ({
  credentialId: `oauth_flow:${flow.id}`,
  provider: flow.provider,
  hostId: flow.host_id,
  orgId: flow.org_id,
});

export function sealFlowSecret(vault: Vault, flow: FlowIdentity, secret: string): { keyId: string; sealed: string } {
  const { keyId, ciphertext } = vault.seal(secret, contextOf(flow));
  return { keyId, sealed: ciphertext };
}

/** Throws when the flow holds no sealed secret (it was never begun, or has ended) or it does not open. */
export function openFlowSecret(vault: Vault, flow: FlowIdentity & Pick<FlowRow, "code_verifier_sealed">): string {
  if (!flow.code_verifier_sealed) throw new Error(`oauth flow ${flow.id.slice(0, 8)}… holds no code verifier`);
  return vault.open(flow.code_verifier_sealed, contextOf(flow));
}
