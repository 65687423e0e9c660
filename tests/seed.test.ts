import { loadFixtures, type SeedReport } from '../src/seed/load';
import { startTestApp, type TestApp } from './helpers/app';
import { auditHead, rowCounts, verifyChain, type RowCounts } from './helpers/problems';

/*
 * The seed story (SPEC intro, §1.5, §3.3, §4): loading the fixtures through
 * the services gives the side-by-side positions of the Istanbul meeting,
 * every quote anchored in its source, and loading them again changes nothing.
 */

const CEASEFIRE = '019a4a10-0000-7000-8000-000000000001';
const HOSTAGE_REMAINS = '019a4a10-0000-7000-8000-000000000002';
const GENOCIDE = '019a4a10-0000-7000-8000-000000000004';

let t: TestApp;
let first: SeedReport;
let countsBefore: RowCounts;
let headBefore: number;
let headAfterLoad: number;

beforeAll(async () => {
  t = await startTestApp();
  countsBefore = await rowCounts(t);
  headBefore = (await auditHead(t)).seq;
  first = await loadFixtures(t.ctx);
  headAfterLoad = (await auditHead(t)).seq;
});
afterAll(() => t.close());

type Party = { id: string; slug: string; name: string };
type Position = { party: Party; speaker: Party | null; quote: string; quoteKind: string; anchor: { exact: string; start: number; end: number } | null };

const codePoints = (s: string) => [...s];

describe('loading the fixtures', () => {
  test('creates at least 10 claims, 8 parties and the 3 sources, and says so in its report', async () => {
    expect(first.claims).toBeGreaterThanOrEqual(10);
    expect(first.parties).toBeGreaterThanOrEqual(8);
    expect(first.sources).toBe(3);
    expect(first.assertions).toBeGreaterThanOrEqual(first.claims);
    expect(first.relations).toBeGreaterThanOrEqual(1);

    const counts = await rowCounts(t);
    expect(counts.claim - countsBefore.claim).toBe(first.claims);
    expect(counts.party - countsBefore.party).toBe(first.parties);
    expect(counts.source - countsBefore.source).toBe(3);
    expect(counts.assertion - countsBefore.assertion).toBe(first.assertions);
    expect(counts.claim_relation - countsBefore.claim_relation).toBe(first.relations);
    expect(counts.affiliation - countsBefore.affiliation).toBe(first.affiliations);

    const reader = await t.as('READER');
    expect((await reader.get('/v1/claims?limit=200')).body.data.length).toBe(first.claims);
    expect((await reader.get('/v1/parties?limit=200')).body.data.length).toBe(first.parties);
    expect((await reader.get('/v1/sources?limit=200')).body.data.length).toBe(3);
  });

  test('audits every row it writes, an event per row (a claim and its first assertion are two), and the chain verifies', async () => {
    const events = await t.db.prisma.auditEvent.findMany({ where: { seq: { gt: BigInt(headBefore), lte: BigInt(headAfterLoad) } }, orderBy: { seq: 'asc' } });
    const byAction: Record<string, number> = {};
    for (const e of events) byAction[e.action] = (byAction[e.action] ?? 0) + 1;
    expect(byAction).toMatchObject({
      'party.create': first.parties,
      'affiliation.create': first.affiliations,
      'source.create': first.sources,
      'claim.create': first.claims,
      'assertion.create': first.assertions,
      'relation.create': first.relations,
    });
    // Nothing else, apart from the rows those writes changed on the way (subjects, claims' new state) and the seed's own actor.
    const alongside = new Set(['claim_subject.create', 'claim.update', 'actor.create']);
    expect(Object.keys(byAction).filter((a) => !alongside.has(a) && !['party.create', 'affiliation.create', 'source.create', 'claim.create', 'assertion.create', 'relation.create'].includes(a))).toEqual([]);
    expect(byAction['actor.create'] ?? 0).toBeLessThanOrEqual(1);
    const seedActor = await t.db.prisma.actor.findFirst({ where: { name: { startsWith: 'Seed loader' } } });
    expect(seedActor).not.toBeNull();
    for (const e of events.filter((x) => x.action !== 'actor.create')) expect(e.actorId).toBe(seedActor!.id);
    const head = await auditHead(t);
    expect(await verifyChain(t)).toEqual({ ok: true, checked: head.seq, firstBadSeq: null });
  });

  test('loading again adds nothing: a report of zeros, the same rows, the same audit head', async () => {
    const counts = await rowCounts(t);
    const head = await auditHead(t);
    const again = await loadFixtures(t.ctx);
    expect(Object.keys(again).sort()).toEqual(Object.keys(first).sort());
    expect(Object.values(again).every((n) => n === 0)).toBe(true);
    expect(await rowCounts(t)).toEqual(counts);
    expect(await auditHead(t)).toEqual(head);
    expect(await verifyChain(t)).toEqual({ ok: true, checked: head.seq, firstBadSeq: null });
  });
});

describe('the seed story, side by side', () => {
  test('"Israel is regularly violating the Gaza ceasefire": Türkiye (Hakan Fidan) affirms; Israel counters with the hostage-remains claim', async () => {
    const reader = await t.as('READER');
    const res = await reader.get(`/v1/claims/${CEASEFIRE}`);
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.statement).toBe('Israel is regularly violating the Gaza ceasefire');

    const turkiye = (d.positions.affirms as Position[]).find((p) => p.party.slug === 'turkiye');
    expect(turkiye).toBeDefined();
    expect(turkiye!.party.name).toBe('Türkiye');
    expect(turkiye!.speaker?.name).toBe('Hakan Fidan');

    expect(d.counterClaims).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          relation: 'COUNTERS',
          basis: 'PARTY',
          direction: 'incoming',
          by: expect.objectContaining({ name: 'Israel', slug: 'israel' }),
          claim: expect.objectContaining({ id: HOSTAGE_REMAINS, statement: expect.stringMatching(/hostage/i) }),
        }),
      ]),
    );
    expect(d.contestation).toBe('contested');
    expect(d.attributedSummary).toContain('Türkiye');
    expect(d.attributedSummary).toContain('Hakan Fidan');
    expect(d.attributedSummary).toContain('Israel');
  });

  test('the hostage-remains claim shows Israel affirming it and the claim it counters', async () => {
    const reader = await t.as('READER');
    const d = (await reader.get(`/v1/claims/${HOSTAGE_REMAINS}`)).body;
    expect((d.positions.affirms as Position[]).map((p) => p.party.slug)).toContain('israel');
    expect(d.counterClaims).toEqual(
      expect.arrayContaining([expect.objectContaining({ relation: 'COUNTERS', direction: 'outgoing', claim: expect.objectContaining({ id: CEASEFIRE }) })]),
    );
  });

  test('"Israel\'s war in Gaza is a genocide": Türkiye affirms, Israel denies, and it is contested', async () => {
    const reader = await t.as('READER');
    const res = await reader.get(`/v1/claims/${GENOCIDE}`);
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.statement).toMatch(/genocide/i);
    expect((d.positions.affirms as Position[]).map((p) => p.party.name)).toContain('Türkiye');
    expect((d.positions.denies as Position[]).map((p) => p.party.name)).toContain('Israel');
    expect((d.positions.affirms as Position[]).map((p) => p.party.name)).not.toContain('Israel');
    expect(d.contestation).toBe('contested');
    expect(d.attributedSummary).toContain('Türkiye');
    expect(d.attributedSummary).toContain('Israel');
  });
});

describe('every seeded quote is anchored in its source', () => {
  test('in the database: each DIRECT and INDIRECT quote has an anchor whose code-point slice of the text is the quote', async () => {
    const rows = await t.db.prisma.assertion.findMany({ include: { source: { select: { text: true } } } });
    expect(rows.length).toBe(first.assertions);
    expect(new Set(rows.map((r) => r.quoteKind))).toEqual(new Set(['DIRECT', 'INDIRECT']));
    for (const a of rows) {
      const label = `${a.quoteKind} quote "${a.quote}"`;
      expect({ label, text: typeof a.source.text }).toEqual({ label, text: 'string' });
      expect({ label, anchored: a.anchorExact !== null && a.anchorStart !== null && a.anchorEnd !== null }).toEqual({ label, anchored: true });
      const text = codePoints(a.source.text!);
      expect(a.anchorExact).toBe(a.quote);
      expect(text.slice(a.anchorStart!, a.anchorEnd!).join('')).toBe(a.quote);
      expect(a.anchorEnd! - a.anchorStart!).toBe(codePoints(a.quote).length);
      expect(text.slice(0, a.anchorStart!).join('').endsWith(a.anchorPrefix ?? '')).toBe(true);
      expect(text.slice(a.anchorEnd!).join('').startsWith(a.anchorSuffix ?? '')).toBe(true);
    }
  });

  test('through the API: each source lists its assertions with anchors that select their quotes in its text', async () => {
    const reader = await t.as('READER');
    const sources = (await reader.get('/v1/sources?limit=200')).body.data as { id: string }[];
    let seen = 0;
    for (const { id } of sources) {
      const res = await reader.get(`/v1/sources/${id}`);
      expect(res.status).toBe(200);
      const text = codePoints(res.body.text);
      for (const a of res.body.assertions as Position[]) {
        expect(a.anchor).not.toBeNull();
        expect(a.anchor!.exact).toBe(a.quote);
        expect(text.slice(a.anchor!.start, a.anchor!.end).join('')).toBe(a.quote);
        seen += 1;
      }
    }
    // Every active seeded assertion is anchored in one of the three sources.
    const active = await t.db.prisma.assertion.count({ where: { withdrawnAt: null } });
    expect(seen).toBe(active);
  });
});
