import type { TestApp } from './app';

/*
 * Factories that speak HTTP as an EDITOR and create whatever parents are
 * missing, so a test states only what it is about.
 */
let n = 0;
const next = () => `${Date.now().toString(36)}${(n += 1)}`;

function expectStatus(res: { status: number; text: string }, status: number, what: string) {
  if (res.status !== status) throw new Error(`factory ${what}: expected ${status}, got ${res.status}: ${res.text}`);
}

export async function makeParty(t: TestApp, body: Record<string, unknown> = {}) {
  const editor = await t.as('EDITOR');
  const res = await editor.post('/v1/parties').send({ name: `Party ${next()}`, kind: 'STATE', ...body });
  expectStatus(res, 201, 'party');
  return res.body as { id: string; slug: string; name: string; kind: string; version: number };
}

export const makePerson = (t: TestApp, body: Record<string, unknown> = {}) =>
  makeParty(t, { name: `Person ${next()}`, kind: 'PERSON', ...body });

export async function makeSource(t: TestApp, body: Record<string, unknown> = {}) {
  const editor = await t.as('EDITOR');
  const res = await editor.post('/v1/sources').send({ kind: 'ARTICLE', title: `Source ${next()}`, ...body });
  expectStatus(res, 201, 'source');
  return res.body as { id: string; text: string | null };
}

export type ClaimOptions = {
  statement?: string;
  topics?: string[];
  subjects?: string[];
  party?: string;
  speaker?: string;
  source?: string;
  stance?: string;
  quote?: string;
  quoteKind?: string;
  assertedAt?: string;
  language?: string;
};

export async function makeClaim(t: TestApp, o: ClaimOptions = {}) {
  const quote = o.quote ?? `words ${next()}`;
  const party = o.party ?? (await makeParty(t)).id;
  const source = o.source ?? (await makeSource(t, { text: `Someone said ${quote} yesterday.` })).id;
  const editor = await t.as('EDITOR');
  const res = await editor.post('/v1/claims').send({
    statement: o.statement ?? `Statement ${next()}`,
    topics: o.topics ?? [],
    subjects: o.subjects ?? [],
    ...(o.language && { language: o.language }),
    assertion: {
      partyId: party,
      ...(o.speaker && { speakerId: o.speaker }),
      sourceId: source,
      stance: o.stance ?? 'AFFIRMS',
      quote,
      quoteKind: o.quoteKind ?? 'INDIRECT',
      ...(o.assertedAt && { assertedAt: o.assertedAt }),
    },
  });
  expectStatus(res, 201, 'claim');
  return res.body as { id: string; version: number; positions: Record<string, { assertionId: string }[]>; contestation: string };
}

/** Adds a stance to a claim, with a source of its own holding the quote. */
export async function addStance(t: TestApp, claimId: string, party: string, stance: string, extra: Record<string, unknown> = {}) {
  const quote = `stance ${next()}`;
  const source = await makeSource(t, { text: `It was said: ${quote}.` });
  const editor = await t.as('EDITOR');
  const res = await editor.post(`/v1/claims/${claimId}/assertions`).send({ partyId: party, sourceId: source.id, stance, quote, quoteKind: 'INDIRECT', ...extra });
  expectStatus(res, 201, 'assertion');
  return res.body as { assertionId: string };
}
