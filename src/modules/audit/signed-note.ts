import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

/*
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519, and the
 * checkpoint text they carry (in the style of c2sp.org/tlog-checkpoint):
 *
 *   <origin>
 *   <seq of the chain head>
 *   <base64 of the head's hash>
 *   time <instant of the head event>
 *
 *   — <key name> base64(key ID ‖ signature)
 *
 * Keys are written as the Go note package writes them:
 *   signer    PRIVATE+KEY+<name>+<key ID, hex>+base64(0x01 ‖ 32-byte seed)
 *   verifier  <name>+<key ID, hex>+base64(0x01 ‖ 32-byte public key)
 */
const ED25519 = 0x01;
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const NAME = /^[^\s+]+$/;

export class NoteError extends Error {}

export type Signer = { name: string; keyId: Buffer; privateKey: KeyObject; verifierKey: string };
export type Verifier = { name: string; keyId: Buffer; publicKey: KeyObject };

function keyIdOf(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256').update(name, 'utf8').update(Buffer.from([0x0a, ED25519])).update(publicKey).digest().subarray(0, 4);
}

function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

function parseTyped(b64: string, what: string): Buffer {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length !== 33 || bytes[0] !== ED25519) throw new NoteError(`${what}: not an Ed25519 key (type 0x01 and 32 bytes)`);
  return bytes.subarray(1);
}

/** Splits at the first `count` "+" signs: the base64 key at the end may hold "+" itself. */
function splitKey(text: string, count: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  for (let i = 0; i < count; i += 1) {
    const at = rest.indexOf('+');
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  return [...parts, rest];
}

export function parseSignerKey(text: string): Signer {
  const parts = splitKey(text, 4);
  if (parts.length !== 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY' || !NAME.test(parts[2]!)) {
    throw new NoteError('the signing key must read PRIVATE+KEY+<name>+<key id>+<base64 key> (npm run audit-key -- <name> makes one)');
  }
  const name = parts[2]!;
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, parseTyped(parts[4]!, 'signing key')]), format: 'der', type: 'pkcs8' });
  const pub = rawPublicKey(createPublicKey(privateKey));
  const keyId = keyIdOf(name, pub);
  if (keyId.toString('hex') !== parts[3]) throw new NoteError('the signing key’s id does not match its name and key');
  return { name, keyId, privateKey, verifierKey: `${name}+${keyId.toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), pub]).toString('base64')}` };
}

export function parseVerifierKey(text: string): Verifier {
  const parts = splitKey(text, 2);
  if (parts.length !== 3 || !NAME.test(parts[0]!) || !/^[0-9a-f]{8}$/.test(parts[1]!)) {
    throw new NoteError('the public key must read <name>+<key id>+<base64 key>');
  }
  const pub = parseTyped(parts[2]!, 'public key');
  const keyId = keyIdOf(parts[0]!, pub);
  if (keyId.toString('hex') !== parts[1]) throw new NoteError('the public key’s id does not match its name and key');
  return { name: parts[0]!, keyId, publicKey: createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' }) };
}

/** A new signing key for a name (a schema-less URL such as example.org/counterpoint is recommended). */
export function generateSignerKey(name: string): string {
  if (!NAME.test(name)) throw new NoteError('a key name has no spaces and no "+"');
  const seed = randomBytes(32);
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const keyId = keyIdOf(name, rawPublicKey(createPublicKey(privateKey)));
  return `PRIVATE+KEY+${name}+${keyId.toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), seed]).toString('base64')}`;
}

export function signNote(text: string, signer: Signer): string {
  if (!text.endsWith('\n')) throw new NoteError('a note’s text ends with a newline');
  const signature = sign(null, Buffer.from(text, 'utf8'), signer.privateKey);
  return `${text}\n— ${signer.name} ${Buffer.concat([signer.keyId, signature]).toString('base64')}\n`;
}

/** The note's text once a signature by this key verifies; a NoteError otherwise. */
export function openNote(note: string, verifier: Verifier): string {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new NoteError('not a signed note (no blank line before the signatures)');
  const text = note.slice(0, split + 1);
  let known = false;
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const m = /^— (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) throw new NoteError(`malformed signature line: ${line}`);
    const bytes = Buffer.from(m[2]!, 'base64');
    if (m[1] !== verifier.name || !bytes.subarray(0, 4).equals(verifier.keyId)) continue;
    known = true;
    if (!verify(null, Buffer.from(text, 'utf8'), verifier.publicKey, bytes.subarray(4))) throw new NoteError(`the signature by ${verifier.name} does not verify`);
  }
  if (!known) throw new NoteError(`the note carries no signature by ${verifier.name}`);
  return text;
}

export type Checkpoint = { origin: string; seq: number; hash: string; at: string | null };

export function checkpointText(c: Checkpoint): string {
  return `${c.origin}\n${c.seq}\n${Buffer.from(c.hash, 'hex').toString('base64')}\ntime ${c.at ?? '-'}\n`;
}

export function parseCheckpointText(text: string): Checkpoint {
  const [origin, seq, hash, time] = text.split('\n');
  const bytes = Buffer.from(hash ?? '', 'base64');
  if (!origin || !/^\d+$/.test(seq ?? '') || bytes.length !== 32) throw new NoteError('the note is not a counterpoint checkpoint');
  const at = time?.startsWith('time ') ? time.slice(5) : null;
  return { origin, seq: Number(seq), hash: bytes.toString('hex'), at: at === '-' ? null : at };
}
