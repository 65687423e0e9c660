import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { eventHash, type StoredEvent } from '../src/modules/audit/chain';
import { toStoredEvent } from '../src/modules/audit/service';
import { verifyReportStream } from '../src/modules/audit/offline-verify';
import { openNote, parseCheckpointText, parseVerifierKey } from '../src/modules/audit/signed-note';
import { startTestApp, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty } from './helpers/factories';

/*
 * Signed checkpoints (SPEC §1.8): the head of the chain as a C2SP signed
 * note, and the offline verifier that holds a report to the checkpoints
 * published before it — which catches what /v1/audit/verify cannot: a
 * superuser rewriting history and recomputing every later hash.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const ARTIFACTS = path.join(__dirname, 'artifacts', 'verify');
const run = promisify(execFile);

async function verifyCli(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/modules/audit/verify-cli.ts', ...args], { cwd: path.join(__dirname, '..') });
    return { code: 0, output: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

async function* linesOf(text: string) {
  for (const line of text.split('\n')) if (line !== '') yield line;
}

async function publicKey() {
  const res = await t.anonymous.get('/.well-known/counterpoint-audit-key');
  expect(res.status).toBe(200);
  return res.text.trim();
}

async function checkpointNote() {
  const res = await (await t.as('ADMIN')).get('/v1/audit/checkpoint');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  return res.text;
}

async function reportText() {
  const res = await (await t.as('ADMIN')).get('/v1/reports/audit').buffer(true).parse((r, done) => {
    let text = '';
    r.setEncoding('utf8');
    r.on('data', (c: string) => (text += c));
    r.on('end', () => done(null, text));
  });
  expect(res.status).toBe(200);
  return res.body as string;
}

test('GET /v1/audit/checkpoint answers the head as a signed note that the published key verifies', async () => {
  await makeClaim(t);
  const key = await publicKey();
  expect(key).toMatch(/^counterpoint\.test\/audit\+[0-9a-f]{8}\+[A-Za-z0-9+/=]{44}$/);
  const note = await checkpointNote();
  const head = (await (await t.as('ADMIN')).get('/v1/audit/head')).body;
  const lines = note.split('\n');
  expect(lines.slice(0, 4)).toEqual(['counterpoint.test/audit', String(head.seq), Buffer.from(head.hash, 'hex').toString('base64'), `time ${head.at}`]);
  expect(lines[4]).toBe('');
  expect(lines[5]).toMatch(/^— counterpoint\.test\/audit [A-Za-z0-9+/=]+$/);
  expect(parseCheckpointText(openNote(note, parseVerifierKey(key)))).toEqual({ origin: 'counterpoint.test/audit', seq: head.seq, hash: head.hash, at: head.at });
  // One changed character and the signature no longer verifies.
  expect(() => openNote(note.replace(`\n${head.seq}\n`, `\n${head.seq + 1}\n`), parseVerifierKey(key))).toThrow(/does not verify/);
  const json = await (await t.as('ADMIN')).get('/v1/audit/checkpoint').set('Accept', 'application/json');
  expect(json.body).toEqual({ origin: 'counterpoint.test/audit', seq: head.seq, hash: head.hash, at: head.at, note, publicKey: key });
});

test('without AUDIT_SIGNING_KEY the checkpoint answers 503 not-configured', async () => {
  const bare = await startTestApp({ auditSigningKey: undefined });
  try {
    const res = await (await bare.as('ADMIN')).get('/v1/audit/checkpoint');
    expect(res.status).toBe(503);
    expect(res.body.type).toBe('/problems/not-configured');
  } finally {
    await bare.close();
  }
});

test('a rewrite before a checkpoint, every later hash recomputed: /v1/audit/verify says ok, the offline verifier names the seq', async () => {
  const admin = await t.as('ADMIN');
  const denier = await makeParty(t, { name: 'Israel' });
  const claim = await makeClaim(t, { statement: 'Israel’s war in Gaza is a genocide' });
  const denial = await addStance(t, claim.id, denier.id, 'DENIES');
  const saved = await checkpointNote();
  const checkpointSeq = parseCheckpointText(saved.split('\n\n')[0]! + '\n').seq;
  await makeClaim(t);
  const key = await publicKey();

  mkdirSync(ARTIFACTS, { recursive: true });
  const checkpointFile = path.join(ARTIFACTS, `checkpoint-${t.db.kind}.txt`);
  writeFileSync(checkpointFile, saved);
  const goodFile = path.join(ARTIFACTS, `report-good-${t.db.kind}.json`);
  writeFileSync(goodFile, await reportText());
  const good = await verifyCli([goodFile, '--checkpoint', checkpointFile, '--public-key', key]);
  writeFileSync(path.join(ARTIFACTS, `output-good-${t.db.kind}.txt`), good.output);
  expect(good.output).toMatch(/OK\n$/);
  expect(good.code).toBe(0);

  // The superuser's rewrite: the denial becomes an affirmation, and every later hash is made consistent again.
  const rows = await t.db.prisma.auditEvent.findMany({ orderBy: { seq: 'asc' } });
  const events: StoredEvent[] = rows.map(toStoredEvent);
  const target = events.find((e) => e.entityId === denial.assertionId && e.action === 'assertion.create')!;
  expect(target.seq).toBeLessThan(checkpointSeq);
  target.after = { ...(target.after as object), stance: 'AFFIRMS' };
  let prevHash = events[target.seq - 2]!.hash;
  const updates: string[] = [];
  for (const e of events.slice(target.seq - 1)) {
    const { hash: _h, prevHash: _p, ...content } = e;
    const hash = eventHash(prevHash, content);
    updates.push(`UPDATE audit_event SET after = $j$${JSON.stringify(e.after)}$j$::jsonb, prev_hash = '${prevHash}', hash = '${hash}' WHERE seq = ${e.seq};`);
    prevHash = hash;
  }
  const [off, on] = t.db.kind === 'postgres'
    ? ['SET session_replication_role = replica;', 'SET session_replication_role = origin;']
    : ['ALTER TABLE audit_event DISABLE TRIGGER USER;', 'ALTER TABLE audit_event ENABLE TRIGGER USER;'];
  await t.db.sql.exec(`${off} ${updates.join(' ')} ${on}`);

  expect((await admin.get('/v1/audit/verify')).body).toMatchObject({ ok: true, firstBadSeq: null });
  const rewrittenFile = path.join(ARTIFACTS, `report-rewritten-${t.db.kind}.json`);
  const rewritten = await reportText();
  writeFileSync(rewrittenFile, rewritten);
  const bad = await verifyCli([rewrittenFile, '--checkpoint', checkpointFile, '--public-key', key]);
  writeFileSync(path.join(ARTIFACTS, `output-rewritten-${t.db.kind}.txt`), bad.output);
  expect(bad.code).toBe(1);
  expect(bad.output).toContain(`FAILED at seq ${checkpointSeq}:`);
  expect(bad.output).toContain('rewritten');
  const direct = await verifyReportStream(linesOf(rewritten), { checkpoints: [{ name: 'saved', note: saved }], publicKey: key });
  expect(direct).toMatchObject({ ok: false, firstBadSeq: checkpointSeq });
}, 60_000);

describe('the offline verifier on damaged reports', () => {
  test('names the first event whose hash, link or seq is wrong, and refuses a cut-off report', async () => {
    const key = await publicKey();
    const text = await reportText();
    const lines = text.split('\n');
    const check = (changed: string[]) => verifyReportStream(linesOf(changed.join('\n')), { checkpoints: [], publicKey: key });
    expect(await check(lines)).toMatchObject({ ok: true });
    const edited = [...lines];
    edited[3] = edited[3]!.replace('"action":"', '"action":"x');
    expect(await check(edited)).toMatchObject({ ok: false, firstBadSeq: 3 });
    const dropped = lines.filter((_, i) => i !== 4);
    expect(await check(dropped)).toMatchObject({ ok: false, firstBadSeq: 4 });
    expect(await check(lines.slice(0, 6))).toMatchObject({ ok: false });
    expect(await check(['{"not":"a report"}'])).toMatchObject({ ok: false, firstBadSeq: null });
    const stranger = 'someone.else/audit+00000000+AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB';
    expect((await verifyReportStream(linesOf(text), { checkpoints: [], publicKey: stranger })).ok).toBe(false);
  });
});
