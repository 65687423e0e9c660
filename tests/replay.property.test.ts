import fc from 'fast-check';
import { replayToState } from '../src/modules/history/replay';
import { liveState } from '../src/modules/history/tables';
import { startTestApp, type Client, type TestApp } from './helpers/app';
import { compareColumnByColumn } from './helpers/ledger-compare';

/*
 * The chain is the history (SPEC §1.8), checked as a property: after a long
 * random sequence of writes through the HTTP API — some of them at once,
 * with merges, withdrawals, reviews and ClaimReview imports among them —
 * replaying the audit events alone gives back every ledger table, row by
 * row and column by column.
 */
const WRITES = Number(process.env.REPLAY_TEST_WRITES ?? 2000);

let t: TestApp;
let editor: Client;
let reviewer: Client;
let admin: Client;
beforeAll(async () => {
  t = await startTestApp();
  [editor, reviewer, admin] = await Promise.all([t.as('EDITOR'), t.as('REVIEWER'), t.as('ADMIN')]);
});
afterAll(() => t.close());

type Ledger = {
  parties: { id: string; person: boolean }[];
  sources: { id: string; word: string | null }[];
  claims: { id: string; statement: string }[];
  assertions: { id: string; claimId: string }[];
  reviews: { id: string }[];
  keys: { id: string }[];
  imports: string[];
};

const KINDS = ['claimParty', 'party', 'person', 'patchParty', 'deleteParty', 'affiliation', 'source', 'deleteSource', 'claim', 'patchClaim', 'assertion',
  'withdraw', 'relation', 'merge', 'review', 'patchReview', 'transition', 'settings', 'key', 'revokeKey', 'import', 'reimport'] as const;
type Kind = (typeof KINDS)[number];
type Op = { kind: Kind | 'burst'; a: number; b: number; c: number; flag: boolean; burst: { kind: Kind; a: number; b: number; c: number; flag: boolean }[] };

const simple = fc.record({ kind: fc.constantFrom(...KINDS), a: fc.nat(), b: fc.nat(), c: fc.nat(), flag: fc.boolean() });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 9, arbitrary: simple.map((s) => ({ ...s, burst: [] })) },
  { weight: 1, arbitrary: fc.array(simple, { minLength: 3, maxLength: 6 }).map((burst) => ({ kind: 'burst' as const, a: 0, b: 0, c: 0, flag: false, burst })) },
);

const STANCES = ['AFFIRMS', 'DENIES', 'QUESTIONS', 'RETRACTS'];
const RELATIONS = ['COUNTERS', 'CONTRADICTS', 'SUPPORTS', 'QUALIFIES'];
const RATINGS = ['SUPPORTED', 'MIXED', 'UNSUPPORTED', 'DISPUTED'];
const pick = <T>(xs: T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);

let serial = 0;
const stats = { requests: 0, writes: 0, refused: 0 };

async function send(req: Promise<{ status: number; body: any; headers: Record<string, string> }> & { method?: string; url?: string; _data?: unknown }) {
  const res = await req;
  stats.requests += 1;
  if (res.status >= 500) throw new Error(`server error ${res.status} on ${req.method} ${req.url} ${JSON.stringify(req._data)}: ${JSON.stringify(res.body)}`);
  if (res.status < 300) stats.writes += 1;
  else stats.refused += 1;
  return res;
}

function claimReview(n: number, statement: string) {
  return {
    '@context': 'https://schema.org', '@type': 'ClaimReview', claimReviewed: statement, url: `https://checker.example/review-${n}`, datePublished: '2025-10-22',
    author: { '@type': 'Organization', name: `Checker ${n % 3}`, url: `https://checker${n % 3}.example/` },
    reviewRating: { '@type': 'Rating', ratingValue: (n % 5) + 1, worstRating: 1, bestRating: 5, alternateName: `Verdict ${n % 5}` },
    itemReviewed: { '@type': 'Claim', datePublished: '2025-10-20', author: { '@type': 'Person', name: `Speaker ${n % 4}`, jobTitle: 'Minister', affiliation: { '@type': 'Organization', name: `Government ${n % 2}` } } },
  };
}

async function run(o: Omit<Op, 'burst'>, L: Ledger): Promise<void> {
  const n = (serial += 1);
  const party = pick(L.parties.filter((p) => !p.person), o.a);
  const person = pick(L.parties.filter((p) => p.person), o.b);
  const source = pick(L.sources, o.b);
  const claim = pick(L.claims, o.a);
  const assertionBody = () =>
    source && party && {
      partyId: party.id, sourceId: source.id, stance: STANCES[o.c % 4], quote: source.word ?? `words ${n}`, quoteKind: o.flag ? 'DIRECT' : 'INDIRECT',
      ...(person && o.flag && { speakerId: person.id }), ...(o.c % 3 === 0 && { assertedAt: `2025-11-0${(o.c % 9) + 1}` }),
    };
  switch (o.kind) {
    case 'claimParty':
    case 'party':
    case 'person': {
      const res = await send(editor.post('/v1/parties', { name: `${o.kind === 'person' ? 'Person' : 'Party'} ${n}`, kind: o.kind === 'person' ? 'PERSON' : 'STATE', aliases: o.flag ? [`Alias ${n}`] : [] }));
      if (res.status === 201) L.parties.push({ id: res.body.id, person: o.kind === 'person' });
      return;
    }
    case 'patchParty': {
      const target = pick(L.parties, o.a);
      if (!target) return;
      const got = await editor.get(`/v1/parties/${target.id}`);
      await send(editor.patch(`/v1/parties/${target.id}`, { description: `Described ${n}`, ...(o.flag && { aliases: [`Other ${n}`] }) }, o.c % 7 === 0 ? '"v999"' : got.headers.etag));
      return;
    }
    case 'deleteParty': {
      const target = pick(L.parties, o.a);
      if (!target) return;
      const res = await send(editor.delete(`/v1/parties/${target.id}`));
      if (res.status === 204) L.parties = L.parties.filter((p) => p !== target);
      return;
    }
    case 'affiliation':
      if (person && party) await send(editor.post(`/v1/parties/${person.id}/affiliations`, { partyId: party.id, role: `Role ${o.c % 3}` }));
      return;
    case 'source': {
      const word = o.flag ? `w${n}x` : null;
      const res = await send(editor.post('/v1/sources', { kind: 'ARTICLE', title: `Source ${n}`, ...(o.c % 2 === 0 && { url: `https://news.example/${n}` }), ...(word && { text: `It was said that ${word} today.` }), ...(party && o.c % 3 === 0 && { publisherId: party.id }) }));
      if (res.status === 201) L.sources.push({ id: res.body.id, word });
      return;
    }
    case 'deleteSource': {
      const target = pick(L.sources, o.a);
      if (!target) return;
      const res = await send(editor.delete(`/v1/sources/${target.id}`));
      if (res.status === 204) L.sources = L.sources.filter((s) => s !== target);
      return;
    }
    case 'claim': {
      const assertion = assertionBody();
      if (!assertion) return;
      const statement = `Statement ${n} about ${o.c % 10}`;
      const res = await send(editor.post('/v1/claims', { statement, topics: o.flag ? ['ceasefire-violations'] : [], subjects: person && o.c % 2 ? [person.id] : [], assertion }));
      if (res.status === 201) {
        L.claims.push({ id: res.body.id, statement });
        L.assertions.push({ id: res.body.history[0].assertionId, claimId: res.body.id });
      }
      return;
    }
    case 'patchClaim': {
      if (!claim) return;
      const got = await editor.get(`/v1/claims/${claim.id}`);
      if (got.status !== 200) return;
      const statement = `Reworded ${n}`;
      const res = await send(editor.patch(`/v1/claims/${claim.id}`, { statement, topics: o.flag ? ['genocide-allegation'] : [], ...(party && { subjects: [party.id] }) }, got.headers.etag));
      if (res.status === 200) claim.statement = statement;
      return;
    }
    case 'assertion': {
      const assertion = assertionBody();
      if (!claim || !assertion) return;
      const res = await send(editor.post(`/v1/claims/${claim.id}/assertions`, assertion));
      if (res.status === 201) L.assertions.push({ id: res.body.assertionId, claimId: claim.id });
      return;
    }
    case 'withdraw': {
      const target = pick(L.assertions, o.a);
      if (target) await send(editor.post(`/v1/assertions/${target.id}/withdraw`, { reason: `Withdrawn ${n}` }));
      return;
    }
    case 'relation': {
      const other = pick(L.claims, o.b);
      if (!claim || !other) return;
      const basis = pick(L.assertions.filter((a) => a.claimId === claim.id), o.c);
      await send(editor.post(`/v1/claims/${claim.id}/relations`, { type: RELATIONS[o.c % 4], targetClaimId: other.id, ...(o.flag && basis ? { basis: 'PARTY', assertionId: basis.id } : { basis: 'EDITORIAL', note: `Link ${n}` }) }));
      return;
    }
    case 'merge': {
      const into = pick(L.claims, o.b);
      if (!claim || !into || o.c % 3 !== 0) return; // merges are rarer: each one retires a claim
      const res = await send(editor.post(`/v1/claims/${claim.id}/merge`, { intoClaimId: into.id }));
      if (res.status === 200) L.claims = L.claims.filter((c) => c !== claim);
      return;
    }
    case 'review': {
      if (!claim || !party) return;
      const res = await send(reviewer.post(`/v1/claims/${claim.id}/reviews`, {
        reviewerId: party.id, rating: RATINGS[o.c % 4], ratingLabel: `Label ${n}`, summary: `Summary ${n}`,
        evidence: [{ url: `https://evidence.example/${n}`, relation: 'CONTEXT' }, ...(source && o.flag ? [{ sourceId: source.id, relation: 'SUPPORTS' }] : [])],
      }));
      if (res.status === 201) L.reviews.push({ id: res.body.id });
      return;
    }
    case 'patchReview': {
      const target = pick(L.reviews, o.a);
      if (!target) return;
      const got = await reviewer.get(`/v1/reviews/${target.id}`);
      await send(reviewer.patch(`/v1/reviews/${target.id}`, { summary: `Edited ${n}`, ...(o.flag && { evidence: [{ url: `https://evidence.example/e${n}`, relation: 'REFUTES' }] }) }, got.headers.etag));
      return;
    }
    case 'transition': {
      const target = pick(L.reviews, o.a);
      if (!target) return;
      const to = ['IN_REVIEW', 'PUBLISHED', 'DRAFT', 'WITHDRAWN'][o.c % 4];
      await send(admin.post(`/v1/reviews/${target.id}/transitions`, { to, ...(to === 'WITHDRAWN' && { reason: `Corrected ${n}` }) }));
      return;
    }
    case 'settings':
      await send(t.http.put('/v1/settings').set('Authorization', `Bearer ${await t.keyFor('ADMIN')}`).send({ allowSelfPublish: o.flag }));
      return;
    case 'key': {
      const res = await send(admin.post('/v1/keys', { name: `Key ${n}`, role: ['READER', 'EDITOR', 'REVIEWER'][o.c % 3] }));
      if (res.status === 201) L.keys.push({ id: res.body.id });
      return;
    }
    case 'revokeKey': {
      const target = pick(L.keys, o.a);
      if (target) await send(admin.post(`/v1/keys/${target.id}/revoke`));
      return;
    }
    case 'import':
    case 'reimport': {
      const again = o.kind === 'reimport' ? pick(L.imports, o.a) : undefined;
      const body = again ?? JSON.stringify(claimReview(n, claim && o.flag ? claim.statement : `Imported claim ${n}`));
      if (!again) L.imports.push(body);
      const res = await send(
        t.http.post('/v1/imports/claimreview').set('Authorization', `Bearer ${await t.keyFor('REVIEWER')}`).set('Content-Type', 'application/ld+json').send(body),
      );
      for (const item of res.body.items ?? []) if (item.status === 'imported' && !L.claims.some((c) => c.id === item.claimId)) L.claims.push({ id: item.claimId, statement: JSON.parse(body).claimReviewed });
      return;
    }
  }
}

test(`replaying the audit chain equals the live tables after ${WRITES}+ random writes through the API`, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 50, maxLength: 50 }), async (seedOps) => {
      const L: Ledger = { parties: [], sources: [], claims: [], assertions: [], reviews: [], keys: [], imports: [] };
      // fast-check draws the operations; the run goes on until enough writes have landed.
      const more = fc.sample(op, { numRuns: WRITES * 3, seed: seedOps.length + seedOps[0]!.a });
      for (const o of [...seedOps, ...more]) {
        if (stats.writes >= WRITES) break;
        if (o.kind === 'burst') await Promise.all(o.burst.map((b) => run(b, L)));
        else await run(o, L);
      }
      expect(stats.writes).toBeGreaterThanOrEqual(WRITES);
      const { state, stats: replay } = await replayToState(t.db.prisma);
      if (replay.firstInconsistentSeq !== null) {
        const bad = await t.db.prisma.auditEvent.findUniqueOrThrow({ where: { seq: BigInt(replay.firstInconsistentSeq) } });
        const prior = await t.db.prisma.auditEvent.findMany({ where: { entityType: bad.entityType, entityId: bad.entityId, seq: { lt: bad.seq } }, orderBy: { seq: 'asc' } });
        process.stdout.write(`DEBUG ${JSON.stringify({ bad, prior }, (_k, v) => (typeof v === 'bigint' ? Number(v) : v), 1)}\n`);
      }
      expect(replay.firstInconsistentSeq).toBeNull();
      expect(compareColumnByColumn(await liveState(t.db.prisma), state)).toEqual([]);
      expect((await admin.get('/v1/audit/verify')).body).toMatchObject({ ok: true, firstBadSeq: null });
      // The dossier rebuilt from the chain at this instant is the live one.
      const now = new Date(Date.now() + 1000).toISOString();
      for (const c of L.claims.slice(-5)) {
        const [live, asOf] = await Promise.all([editor.get(`/v1/claims/${c.id}`), editor.get(`/v1/claims/${c.id}?asOf=${now}`)]);
        expect(asOf.body).toEqual(live.body);
      }
    }),
    { numRuns: 1, endOnFailure: true, ...(process.env.REPLAY_TEST_SEED && { seed: Number(process.env.REPLAY_TEST_SEED) }) },
  );
  process.stdout.write(`replay property: ${JSON.stringify(stats)}\n`);
}, 900_000);
