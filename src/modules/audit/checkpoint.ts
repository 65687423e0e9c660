import type { AppContext } from '../../http/context';
import { NotConfiguredError } from '../../shared/errors';
import { checkpointText, parseSignerKey, signNote, type Signer } from './signed-note';
import { auditHead } from './service';
import { GENESIS_HASH } from './chain';

const signers = new Map<string, Signer>();

/** The deployment's signer, parsed once; without AUDIT_SIGNING_KEY there are no checkpoints (503). */
export function auditSigner(app: AppContext): Signer {
  const key = app.config.auditSigningKey;
  if (!key) throw new NotConfiguredError('Checkpoints are not signed here: set AUDIT_SIGNING_KEY (npm run audit-key -- <name> makes one)');
  let signer = signers.get(key);
  if (!signer) {
    signer = parseSignerKey(key);
    signers.set(key, signer);
  }
  return signer;
}

export type SignedCheckpoint = { origin: string; seq: number; hash: string; at: string | null; note: string; publicKey: string };

/** The chain's head as a signed note: what a newsroom publishes so that later history can be held to it. */
export function signCheckpoint(signer: Signer, head: { seq: number; hash: string | null; at: string | null }): SignedCheckpoint {
  const checkpoint = { origin: signer.name, seq: head.seq, hash: head.hash ?? GENESIS_HASH, at: head.at };
  return { ...checkpoint, note: signNote(checkpointText(checkpoint), signer), publicKey: signer.verifierKey };
}

export async function currentCheckpoint(app: AppContext): Promise<SignedCheckpoint> {
  const signer = auditSigner(app);
  return signCheckpoint(signer, await auditHead(app));
}
