import { randomUUID } from 'node:crypto';
import { startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeParty, makePerson, makeSource } from './helpers/factories';

/*
 * SPEC §2, invariant by invariant. Invariants 1, 2 and the audit log's
 * append-only rule are checked at the DATABASE level with raw SQL, bypassing
 * the service: the triggers and foreign keys must refuse on their own.
 * Invariants 3 and 4 are checked over every endpoint / every stored row.
 *
 * Raw transactions are sent as one script (one exec call) so that, with the
 * pg pool, BEGIN … COMMIT run on the same connection, and a failed COMMIT
 * leaves that connection idle again.
 */

let t: TestApp;
let editor: Client;
let reader: Client;
let admin: Client;

type Ref = { id: string; slug: string; name: string; kind: string };
let turkiye: Ref;
let israel: Ref;
let fidan: Ref;
let publisher: Ref;

let uniq = 0;
const next = () => `${Date.now().toString(36)}-${(uniq += 1)}`;

type Claim = { id: string; statement: string; version: number; positions: { affirms: { assertionId: string }[] } };

async function createClaim(party: string, statement = `Statement ${next()}`, speaker?: string): Promise<Claim> {
  const quote = `quote ${next()}`;
  const source = await makeSource(t, { text: `Reported: ${quote}.`, publisherId: publisher.id });
  const res = await editor.post('/v1/claims').send({
    statement,
    subjects: [israel.id],
    assertion: { partyId: party, ...(speaker && { speakerId: speaker }), sourceId: source.id, stance: 'AFFIRMS', quote, quoteKind: 'DIRECT' },
  });
  if (res.status !== 201) throw new Error(`claim: ${res.status} ${res.text}`);
  return res.body;
}
const firstAssertion = (c: Claim) => c.positions.affirms[0]!.assertionId;

const sql = (text: string, params?: unknown[]) => t.db.sql.query<Record<string, unknown>>(text, params);
const exec = (text: string) => t.db.sql.exec(text);

async function one<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T> {
  return (await sql(text, params))[0] as T;
}

async function activeAssertions(claimId: string): Promise<number> {
  return (await one<{ n: number }>('SELECT count(*)::int AS n FROM assertion WHERE claim_id = $1 AND withdrawn_at IS NULL', [claimId])).n;
}

async function auditState() {
  return one<{ n: number; max: number; hashes: string }>(
    "SELECT count(*)::int AS n, COALESCE(max(seq), 0)::int AS max, COALESCE(string_agg(hash, ',' ORDER BY seq), '') AS hashes FROM audit_event",
  );
}

beforeAll(async () => {
  t = await startTestApp();
  editor = await t.as('EDITOR');
  reader = await t.as('READER');
  admin = await t.as('ADMIN');
  turkiye = await makeParty(t, { name: 'Türkiye', slug: 'turkiye' });
  israel = await makeParty(t, { name: 'Israel', slug: 'israel' });
  fidan = await makePerson(t, { name: 'Hakan Fidan', slug: 'hakan-fidan' });
  publisher = await makeParty(t, { name: 'Anadolu Agency', slug: 'anadolu', kind: 'MEDIA' });
});
afterAll(() => t.close());

describe('invariant 1: no claim without at least one active assertion (database level)', () => {
  let source: string;
  beforeAll(async () => {
    source = (await makeSource(t, {})).id;
  });

  test('a claim row inserted without an assertion is refused at COMMIT', async () => {
    const id = randomUUID();
    await expect(
      exec(`BEGIN; INSERT INTO claim (id, statement, updated_at) VALUES ('${id}', 'An orphan claim', now()); COMMIT;`),
    ).rejects.toThrow(/no active assertion/);
    expect(await sql('SELECT id FROM claim WHERE id = $1', [id])).toEqual([]);
  });

  test('a claim row inserted on its own (autocommit) is refused too', async () => {
    const id = randomUUID();
    await expect(sql("INSERT INTO claim (id, statement, updated_at) VALUES ($1, 'Another orphan', now())", [id])).rejects.toThrow(/no active assertion/);
    expect(await sql('SELECT id FROM claim WHERE id = $1', [id])).toEqual([]);
  });

  test('a claim inserted with only a withdrawn assertion is refused at COMMIT', async () => {
    const id = randomUUID();
    await expect(
      exec(`BEGIN;
        INSERT INTO claim (id, statement, updated_at) VALUES ('${id}', 'Withdrawn from birth', now());
        INSERT INTO assertion (id, claim_id, party_id, source_id, stance, quote, quote_kind, withdrawn_at, withdrawn_reason)
          VALUES ('${randomUUID()}', '${id}', '${turkiye.id}', '${source}', 'AFFIRMS', 'q', 'DIRECT', now(), 'wrong');
        COMMIT;`),
    ).rejects.toThrow(/no active assertion/);
    expect(await sql('SELECT id FROM claim WHERE id = $1', [id])).toEqual([]);
    expect(await sql('SELECT id FROM assertion WHERE claim_id = $1', [id])).toEqual([]);
  });

  test('a claim inserted together with its first assertion in one transaction is accepted (the check is deferred)', async () => {
    const id = randomUUID();
    await exec(`BEGIN;
      INSERT INTO claim (id, statement, updated_at) VALUES ('${id}', 'Born attributed', now());
      INSERT INTO assertion (id, claim_id, party_id, source_id, stance, quote, quote_kind)
        VALUES ('${randomUUID()}', '${id}', '${turkiye.id}', '${source}', 'AFFIRMS', 'raw quote', 'INDIRECT');
      COMMIT;`);
    expect(await activeAssertions(id)).toBe(1);
  });

  test('withdrawing the last active assertion with UPDATE is refused', async () => {
    const claim = await createClaim(turkiye.id);
    await expect(
      sql("UPDATE assertion SET withdrawn_at = now(), withdrawn_reason = 'bypassing the service' WHERE id = $1", [firstAssertion(claim)]),
    ).rejects.toThrow(/no active assertion/);
    expect(await activeAssertions(claim.id)).toBe(1);
    expect((await one<{ withdrawn_at: unknown }>('SELECT withdrawn_at FROM assertion WHERE id = $1', [firstAssertion(claim)])).withdrawn_at).toBeNull();
  });

  test('withdrawing every active assertion of a claim in one statement is refused; withdrawing one of two is allowed', async () => {
    const claim = await createClaim(turkiye.id);
    await addStance(t, claim.id, israel.id, 'DENIES');
    await expect(
      sql("UPDATE assertion SET withdrawn_at = now(), withdrawn_reason = 'all at once' WHERE claim_id = $1", [claim.id]),
    ).rejects.toThrow(/no active assertion/);
    expect(await activeAssertions(claim.id)).toBe(2);

    await sql("UPDATE assertion SET withdrawn_at = now(), withdrawn_reason = 'one of two' WHERE id = $1", [firstAssertion(claim)]);
    expect(await activeAssertions(claim.id)).toBe(1);
  });

  test('moving the last active assertion to another claim is refused', async () => {
    const from = await createClaim(turkiye.id);
    const to = await createClaim(israel.id);
    await expect(sql('UPDATE assertion SET claim_id = $1 WHERE id = $2', [to.id, firstAssertion(from)])).rejects.toThrow(/no active assertion|moves only with a merge/);
    expect(await activeAssertions(from.id)).toBe(1);
    expect(await activeAssertions(to.id)).toBe(1);
  });

  test('un-merging a merged claim that holds no assertions any more is refused', async () => {
    const a = await createClaim(turkiye.id);
    const b = await createClaim(israel.id);
    expect((await editor.post(`/v1/claims/${a.id}/merge`).send({ intoClaimId: b.id })).status).toBe(200);
    expect(await activeAssertions(a.id)).toBe(0); // a merged claim is only a redirect
    await expect(sql('UPDATE claim SET merged_into_id = NULL WHERE id = $1', [a.id])).rejects.toThrow(/no active assertion/);
    expect((await one<{ merged_into_id: string }>('SELECT merged_into_id FROM claim WHERE id = $1', [a.id])).merged_into_id).toBe(b.id);
  });
});

describe('invariant 2: nothing attributable is ever deleted (database level)', () => {
  test('DELETE FROM assertion is refused, for active and withdrawn assertions alike', async () => {
    const claim = await createClaim(turkiye.id);
    const denial = await addStance(t, claim.id, israel.id, 'DENIES');
    expect((await editor.post(`/v1/assertions/${denial.assertionId}/withdraw`).send({ reason: 'misattributed' })).status).toBe(200);
    await expect(sql('DELETE FROM assertion WHERE id = $1', [denial.assertionId])).rejects.toThrow(/never deleted/);
    await expect(sql('DELETE FROM assertion WHERE id = $1', [firstAssertion(claim)])).rejects.toThrow(/never deleted/);
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM assertion WHERE claim_id = $1', [claim.id])).n).toBe(2);
  });

  test('DELETE FROM claim is refused, for live and merged claims', async () => {
    const live = await createClaim(turkiye.id);
    const merged = await createClaim(turkiye.id);
    expect((await editor.post(`/v1/claims/${merged.id}/merge`).send({ intoClaimId: live.id })).status).toBe(200);
    await expect(sql('DELETE FROM claim WHERE id = $1', [live.id])).rejects.toThrow(/merged, never deleted/);
    await expect(sql('DELETE FROM claim WHERE id = $1', [merged.id])).rejects.toThrow(/merged, never deleted/);
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM claim WHERE id IN ($1, $2)', [live.id, merged.id])).n).toBe(2);
  });

  test('DELETE of a party in use (as asserting party, speaker or claim subject) is refused by a foreign key', async () => {
    const speaker = await makePerson(t, { name: `Speaker ${next()}` });
    const asserting = await makeParty(t, { name: `Asserting ${next()}` });
    const subject = await makeParty(t, { name: `Subject ${next()}` });
    const quote = `quote ${next()}`;
    const source = await makeSource(t, { text: `Reported: ${quote}.` });
    const res = await editor.post('/v1/claims').send({
      statement: 'Parties in use',
      subjects: [subject.id],
      assertion: { partyId: asserting.id, speakerId: speaker.id, sourceId: source.id, stance: 'AFFIRMS', quote, quoteKind: 'DIRECT' },
    });
    expect(res.status).toBe(201);
    for (const p of [asserting, speaker, subject]) {
      await expect(sql('DELETE FROM party WHERE id = $1', [p.id])).rejects.toThrow(/foreign key/);
      expect(await sql('SELECT id FROM party WHERE id = $1', [p.id])).toHaveLength(1);
    }
  });

  test('DELETE of a publisher party is refused by a foreign key', async () => {
    await expect(sql('DELETE FROM party WHERE id = $1', [publisher.id])).rejects.toThrow(/foreign key/);
  });

  test('DELETE of a source in use is refused by a foreign key', async () => {
    const claim = await createClaim(turkiye.id);
    const row = await one<{ source_id: string }>('SELECT source_id FROM assertion WHERE id = $1', [firstAssertion(claim)]);
    await expect(sql('DELETE FROM source WHERE id = $1', [row.source_id])).rejects.toThrow(/foreign key/);
    expect(await sql('SELECT id FROM source WHERE id = $1', [row.source_id])).toHaveLength(1);
  });

  test('over HTTP the same deletions answer 409, while unused ones succeed', async () => {
    const claim = await createClaim(turkiye.id);
    const row = await one<{ source_id: string }>('SELECT source_id FROM assertion WHERE id = $1', [firstAssertion(claim)]);
    const party = await editor.delete(`/v1/parties/${turkiye.slug}`);
    expect(party.status).toBe(409);
    expect(party.body.status).toBe(409);
    const source = await editor.delete(`/v1/sources/${row.source_id}`);
    expect(source.status).toBe(409);
    expect(source.body.status).toBe(409);

    const unusedParty = await makeParty(t, { name: `Unused ${next()}` });
    expect((await editor.delete(`/v1/parties/${unusedParty.id}`)).status).toBe(204);
    const unusedSource = await makeSource(t, {});
    expect((await editor.delete(`/v1/sources/${unusedSource.id}`)).status).toBe(204);
  });
});

describe('the audit log is append-only and linear (database level)', () => {
  beforeAll(async () => {
    await createClaim(turkiye.id); // make sure there are events to tamper with
  });

  test('UPDATE of an audit event is refused', async () => {
    const before = await auditState();
    await expect(sql("UPDATE audit_event SET action = 'claim.forged' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(sql("UPDATE audit_event SET after = '{}'::jsonb")).rejects.toThrow(/append-only/);
    expect(await auditState()).toEqual(before);
  });

  test('DELETE of an audit event is refused', async () => {
    const before = await auditState();
    await expect(sql('DELETE FROM audit_event WHERE seq = $1', [before.max])).rejects.toThrow(/append-only/);
    await expect(sql('DELETE FROM audit_event')).rejects.toThrow(/append-only/);
    expect(await auditState()).toEqual(before);
  });

  test('TRUNCATE of the audit table is refused', async () => {
    const before = await auditState();
    await expect(exec('TRUNCATE audit_event')).rejects.toThrow(/append-only/);
    expect(await auditState()).toEqual(before);
  });

  test('an inserted event that skips a seq is refused', async () => {
    const head = await one<{ seq: number; hash: string }>('SELECT seq::int AS seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
    const before = await auditState();
    await expect(
      sql(
        "INSERT INTO audit_event (seq, at, action, entity_type, entity_id, prev_hash, hash) VALUES ($1, now(), 'claim.forged', 'claim', 'x', $2, repeat('b', 64))",
        [head.seq + 2, head.hash],
      ),
    ).rejects.toThrow(/does not extend the chain head/);
    expect(await auditState()).toEqual(before);
  });

  test('an inserted event that does not point at the head hash is refused', async () => {
    const head = await one<{ seq: number; hash: string }>('SELECT seq::int AS seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
    const before = await auditState();
    await expect(
      sql(
        "INSERT INTO audit_event (seq, at, action, entity_type, entity_id, prev_hash, hash) VALUES ($1, now(), 'claim.forged', 'claim', 'x', repeat('c', 64), repeat('d', 64))",
        [head.seq + 1],
      ),
    ).rejects.toThrow(/does not extend the chain head/);
    // Nor can an event be slipped in before the head.
    await expect(
      sql(
        "INSERT INTO audit_event (seq, at, action, entity_type, entity_id, prev_hash, hash) VALUES ($1, now(), 'claim.forged', 'claim', 'x', repeat('0', 64), repeat('e', 64))",
        [0],
      ),
    ).rejects.toThrow(/does not extend the chain head/);
    expect(await auditState()).toEqual(before);
  });

  test('an event that extends the head is accepted (checked inside a rolled-back transaction)', async () => {
    const head = await one<{ seq: number; hash: string }>('SELECT seq::int AS seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
    const before = await auditState();
    await exec(`BEGIN;
      INSERT INTO audit_event (seq, at, action, entity_type, entity_id, prev_hash, hash)
        VALUES (${head.seq + 1}, now(), 'claim.probe', 'claim', 'x', '${head.hash}', repeat('f', 64));
      ROLLBACK;`);
    expect(await auditState()).toEqual(before);
  });

  test('after all these attempts the chain still verifies end to end', async () => {
    const res = await admin.get('/v1/audit/verify');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, checked: (await auditState()).n, firstBadSeq: null });
  });
});

describe('relation rules held by the database', () => {
  test('a relation of a claim to itself is refused by a CHECK constraint', async () => {
    const claim = await createClaim(turkiye.id);
    await expect(
      sql("INSERT INTO claim_relation (id, source_claim_id, target_claim_id, type, basis) VALUES ($1, $2, $2, 'COUNTERS', 'EDITORIAL')", [randomUUID(), claim.id]),
    ).rejects.toThrow(/claim_relation_not_self/);
  });

  test('a PARTY relation without an assertion, or an EDITORIAL one with one, is refused', async () => {
    const a = await createClaim(turkiye.id);
    const b = await createClaim(israel.id);
    await expect(
      sql("INSERT INTO claim_relation (id, source_claim_id, target_claim_id, type, basis) VALUES ($1, $2, $3, 'COUNTERS', 'PARTY')", [randomUUID(), b.id, a.id]),
    ).rejects.toThrow(/claim_relation_basis_assertion/);
    await expect(
      sql("INSERT INTO claim_relation (id, source_claim_id, target_claim_id, type, basis, assertion_id) VALUES ($1, $2, $3, 'COUNTERS', 'EDITORIAL', $4)", [
        randomUUID(),
        b.id,
        a.id,
        firstAssertion(b),
      ]),
    ).rejects.toThrow(/claim_relation_basis_assertion/);
  });
});

/** Every object in `value` that carries a claim statement must carry its positions too. */
function claimsShown(value: unknown, where = '$'): { where: string; statement: string; positions: Record<string, { name: string }[]> }[] {
  const found: ReturnType<typeof claimsShown> = [];
  if (Array.isArray(value)) value.forEach((v, i) => found.push(...claimsShown(v, `${where}[${i}]`)));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('statement' in o) found.push({ where, statement: o.statement as string, positions: o.positions as never });
    for (const [k, v] of Object.entries(o)) found.push(...claimsShown(v, `${where}.${k}`));
  }
  return found;
}

function expectAttributed(body: unknown, minimum = 1) {
  const shown = claimsShown(body);
  expect(shown.length).toBeGreaterThanOrEqual(minimum);
  for (const s of shown) {
    expect({ where: s.where, positions: s.positions }).toEqual({
      where: s.where,
      positions: expect.objectContaining({ affirms: expect.any(Array), denies: expect.any(Array) }),
    });
    const attributed = [...s.positions.affirms!, ...s.positions.denies!, ...(s.positions.questions ?? []), ...(s.positions.retracts ?? [])];
    expect({ where: s.where, parties: attributed.length > 0 }).toEqual({ where: s.where, parties: true });
  }
  return shown;
}

describe('invariant 3: no endpoint returns a statement without its positions', () => {
  let a: Claim;
  let b: Claim;
  let c: Claim;
  let sourceId: string;

  beforeAll(async () => {
    a = await createClaim(turkiye.id, 'Israel is regularly violating the Gaza ceasefire', fidan.id);
    await addStance(t, a.id, israel.id, 'DENIES');
    b = await createClaim(israel.id, 'Hamas has not returned the remaining hostage bodies');
    c = await createClaim(turkiye.id, 'The ceasefire is fragile');
    expect((await editor.post(`/v1/claims/${b.id}/relations`).send({ type: 'COUNTERS', targetClaimId: a.id, basis: 'PARTY', assertionId: firstAssertion(b) })).status).toBe(201);
    expect((await editor.post(`/v1/claims/${c.id}/relations`).send({ type: 'SUPPORTS', targetClaimId: a.id, basis: 'EDITORIAL' })).status).toBe(201);
    sourceId = (await one<{ source_id: string }>('SELECT source_id FROM assertion WHERE id = $1', [firstAssertion(a)])).source_id;
  });

  test('the dossier, with its counterClaims[].claim and supportingClaims[].claim', async () => {
    const res = await reader.get(`/v1/claims/${a.id}`);
    expect(res.status).toBe(200);
    const shown = expectAttributed(res.body, 3);
    const counter = shown.find((s) => s.where === '$.counterClaims[0].claim');
    expect(counter?.positions.affirms!.map((p) => p.name)).toEqual(['Israel']);
    expect(shown.find((s) => s.where === '$.supportingClaims[0].claim')).toBeDefined();
    expect(res.body.positions.affirms[0].party.name).toBe('Türkiye');
    expect(res.body.positions.denies[0].party.name).toBe('Israel');
  });

  test('the outgoing side of the relation, in the dossier of B', async () => {
    const res = await reader.get(`/v1/claims/${b.id}`);
    const shown = expectAttributed(res.body, 2);
    const target = shown.find((s) => s.where === '$.counterClaims[0].claim');
    expect(target?.positions.affirms!.map((p) => p.name)).toEqual(['Türkiye']);
    expect(target?.positions.denies!.map((p) => p.name)).toEqual(['Israel']);
  });

  test('list items', async () => {
    const res = await reader.get('/v1/claims?limit=200');
    expect(res.status).toBe(200);
    expectAttributed(res.body, 3);
    const q = await reader.get('/v1/claims?q=ceasefire');
    expectAttributed(q.body, 2);
  });

  test('graph nodes', async () => {
    const res = await reader.get(`/v1/claims/${a.id}/graph?depth=2`);
    expect(res.status).toBe(200);
    expect(res.body.nodes).toHaveLength(3);
    expectAttributed(res.body, 3);
  });

  test('the source view: assertions[].claim', async () => {
    const res = await reader.get(`/v1/sources/${sourceId}`);
    expect(res.status).toBe(200);
    expect(res.body.assertions).toHaveLength(1);
    const shown = expectAttributed(res.body, 1);
    expect(shown[0]!.where).toBe('$.assertions[0].claim');
  });

  test('write responses that return a claim: create, PATCH and merge', async () => {
    const created = await createClaim(turkiye.id, 'Created and shown');
    expectAttributed(created, 1);
    const etag = (await editor.get(`/v1/claims/${created.id}`)).headers.etag as string;
    const patched = await editor.patch(`/v1/claims/${created.id}`, { statement: 'Reworded and shown' }, etag);
    expect(patched.status).toBe(200);
    expectAttributed(patched.body, 1);
    const dup = await createClaim(israel.id, 'A duplicate');
    const merged = await editor.post(`/v1/claims/${dup.id}/merge`).send({ intoClaimId: created.id });
    expect(merged.status).toBe(200);
    expectAttributed(merged.body, 1);
  });
});

describe('invariant 4: every stored anchor matches its source text exactly, by code points', () => {
  test('holds for every assertion in the database after anchoring in several scripts', async () => {
    const cases: { text: string; quote: string; anchor?: Record<string, unknown> }[] = [
      { text: "Dışişleri Bakanı Hakan Fidan, İsrail'in ateşkesi düzenli olarak ihlal ettiğini söyledi.", quote: "İsrail'in ateşkesi düzenli olarak ihlal ettiğini" },
      { text: 'قال وزير الخارجية إن إسرائيل تنتهك وقف إطلاق النار بانتظام', quote: 'إسرائيل تنتهك وقف إطلاق النار' },
      { text: '🇹🇷🇵🇰 😀 𝐁𝐫𝐞𝐚𝐤𝐢𝐧𝐠: Israel is regularly violating the ceasefire 🕊️ says Fidan', quote: 'Israel is regularly violating the ceasefire 🕊️' },
      { text: '😀 He said: yes. 😀 He said: yes!', quote: 'yes', anchor: { prefix: '😀 He said: ', suffix: '!' } },
    ];
    const claim = await createClaim(turkiye.id);
    // An explicit-offset anchor too.
    const explicitText = '🇵🇸 Statement: the hostages must be returned.';
    const explicitQuote = 'the hostages must be returned';
    const unit = explicitText.indexOf(explicitQuote);
    const start = Array.from(explicitText.slice(0, unit)).length;
    cases.push({ text: explicitText, quote: explicitQuote, anchor: { start, end: start + Array.from(explicitQuote).length } });

    // NFD text, and a quote occurring twice: picked by code-point offsets of its second occurrence.
    const nfdText = 'Café Noël: la trêve tient. Café Noël: la trêve tient.'.normalize('NFD');
    const nfdQuote = 'la trêve tient'.normalize('NFD');
    const second = nfdText.indexOf(nfdQuote, nfdText.indexOf(nfdQuote) + 1);
    const s2 = Array.from(nfdText.slice(0, second)).length;
    cases.push({ text: nfdText, quote: nfdQuote, anchor: { start: s2, end: s2 + Array.from(nfdQuote).length } });

    for (const c of cases) {
      const source = await makeSource(t, { text: c.text });
      const res = await editor
        .post(`/v1/claims/${claim.id}/assertions`)
        .send({ partyId: israel.id, sourceId: source.id, stance: 'DENIES', quote: c.quote, quoteKind: 'DIRECT', ...(c.anchor && { anchor: c.anchor }) });
      expect({ quote: c.quote, status: res.status }).toEqual({ quote: c.quote, status: 201 });
    }

    const rows = await t.db.sql.query<{
      id: string;
      quote: string;
      anchor_exact: string;
      anchor_prefix: string;
      anchor_suffix: string;
      anchor_start: number;
      anchor_end: number;
      text: string | null;
    }>(
      `SELECT a.id, a.quote, a.anchor_exact, a.anchor_prefix, a.anchor_suffix, a.anchor_start, a.anchor_end, s.text
         FROM assertion a JOIN source s ON s.id = a.source_id
        WHERE a.anchor_exact IS NOT NULL`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(cases.length + 10);
    for (const r of rows) {
      expect(r.text).not.toBeNull();
      const cps = Array.from(r.text!);
      const check = {
        id: r.id,
        exactIsQuote: r.anchor_exact === r.quote,
        slice: cps.slice(r.anchor_start, r.anchor_end).join(''),
        prefixPrecedes: cps.slice(0, r.anchor_start).join('').endsWith(r.anchor_prefix),
        suffixFollows: cps.slice(r.anchor_end).join('').startsWith(r.anchor_suffix),
      };
      expect(check).toEqual({ id: r.id, exactIsQuote: true, slice: r.anchor_exact, prefixPrecedes: true, suffixFollows: true });
    }

    // Assertions without an anchor are only those whose source holds no text.
    const unanchored = await sql(
      'SELECT a.id FROM assertion a JOIN source s ON s.id = a.source_id WHERE a.anchor_exact IS NULL AND s.text IS NOT NULL',
    );
    expect(unanchored).toEqual([]);
  });
});

describe('invariant 5: the audit chain verifies after concurrent writes', () => {
  test('parallel writes leave a gap-free chain that verifies end to end', async () => {
    const claim = await createClaim(turkiye.id);
    const sources = await Promise.all(Array.from({ length: 8 }, (_, i) => makeSource(t, { text: `Concurrent quote number ${i} here.` })));
    const before = await auditState();
    const results = await Promise.all([
      ...sources.slice(0, 5).map((s, i) =>
        editor.post(`/v1/claims/${claim.id}/assertions`).send({ partyId: israel.id, sourceId: s.id, stance: 'DENIES', quote: `quote number ${i}`, quoteKind: 'INDIRECT' }),
      ),
      ...sources.slice(5).map((s, i) =>
        editor.post('/v1/claims').send({
          statement: `Concurrent claim ${i}`,
          assertion: { partyId: turkiye.id, sourceId: s.id, stance: 'AFFIRMS', quote: `quote number ${i + 5}`, quoteKind: 'INDIRECT' },
        }),
      ),
    ]);
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const after = await auditState();
    expect(after.n).toBe(before.n + 16); // each write: its row and its claim's (an assertion and the claim it changed; a claim and its first assertion)
    expect(after.max).toBe(after.n); // seq is gap-free from 1
    const verify = await admin.get('/v1/audit/verify');
    expect(verify.body).toEqual({ ok: true, checked: after.n, firstBadSeq: null });
    // All five assertions landed on the claim, whose version counted each of them.
    const d = await reader.get(`/v1/claims/${claim.id}`);
    expect(d.body.history).toHaveLength(6);
    expect(d.body.version).toBe(6);
  });
});
