import type { AppContext, Caller } from '../http/context';
import { addAssertion } from '../modules/assertions/service';
import { createClaim } from '../modules/claims/service';
import { createAffiliation, createParty } from '../modules/parties/service';
import { createRelation } from '../modules/relations/service';
import { createSource } from '../modules/sources/service';
import { serviceCaller } from '../modules/actors/service';
import { readFixtures, type Fixtures } from './fixtures';

export type SeedReport = { parties: number; affiliations: number; sources: number; claims: number; assertions: number; relations: number };

const SEED_ACTOR = 'Seed loader (fixtures/seed.json)';

function seedCaller(app: AppContext): Promise<Caller> {
  return serviceCaller(app, SEED_ACTOR, 'EDITOR', `seed-${Date.now()}`);
}

/**
 * Loads the fixtures through the same services the API uses (so every row
 * is validated, anchored and audited), skipping whatever is already there:
 * parties by slug, sources by URL, claims by id, relations by their ends.
 * Running it twice changes nothing the second time.
 */
export async function loadFixtures(app: AppContext, fixtures?: Fixtures): Promise<SeedReport> {
  const f = fixtures ?? (await readFixtures());
  const caller = await seedCaller(app);
  const report: SeedReport = { parties: 0, affiliations: 0, sources: 0, claims: 0, assertions: 0, relations: 0 };
  const partyId = new Map<string, string>();
  for (const p of f.parties) {
    const found = await app.prisma.party.findUnique({ where: { slug: p.slug }, select: { id: true } });
    partyId.set(p.slug, found?.id ?? (await createParty(app, caller, p)).id);
    if (!found) report.parties += 1;
  }
  const party = (slug: string) => {
    const id = partyId.get(slug);
    if (!id) throw new Error(`fixtures: unknown party slug '${slug}'`);
    return id;
  };
  for (const a of f.affiliations) {
    const exists = await app.prisma.affiliation.findFirst({ where: { personId: party(a.person), partyId: party(a.party), role: a.role } });
    if (exists) continue;
    await createAffiliation(app, caller, party(a.person), { id: a.id, partyId: party(a.party), role: a.role, from: a.from, to: a.to });
    report.affiliations += 1;
  }
  const sourceId = new Map<string, string>();
  for (const { key, publisher, ...s } of f.sources) {
    const found = s.url ? await app.prisma.source.findUnique({ where: { url: s.url }, select: { id: true } }) : null;
    sourceId.set(key, found?.id ?? (await createSource(app, caller, { ...s, publisherId: publisher ? party(publisher) : undefined })).id);
    if (!found) report.sources += 1;
  }
  const assertionId = new Map<string, string>();
  for (const c of f.claims) {
    const toInput = ({ party: p, speaker, source, prefix, ...rest }: (typeof c.assertions)[number]) => ({
      ...rest,
      partyId: party(p),
      speakerId: speaker ? party(speaker) : undefined,
      sourceId: sourceId.get(source) ?? source,
      anchor: prefix !== undefined ? { prefix } : undefined,
    });
    const exists = await app.prisma.claim.findUnique({ where: { id: c.id }, select: { id: true } });
    if (!exists) {
      const [first, ...more] = c.assertions;
      const dossier = await createClaim(app, caller, { statement: c.statement, topics: c.topics, subjects: c.subjects.map(party), language: c.language, assertion: toInput(first!) }, c.id);
      report.claims += 1;
      report.assertions += 1;
      for (const a of more) {
        await addAssertion(app, caller, dossier.id, toInput(a));
        report.assertions += 1;
      }
    }
    const active = await app.prisma.assertion.findMany({ where: { claimId: c.id, withdrawnAt: null }, select: { id: true, partyId: true } });
    for (const a of active) assertionId.set(`${c.key}/${a.partyId}`, a.id);
  }
  const claimId = new Map(f.claims.map((c) => [c.key, c.id]));
  for (const r of f.relations) {
    const from = claimId.get(r.from);
    const to = claimId.get(r.to);
    if (!from || !to) throw new Error(`fixtures: relation ${r.from} → ${r.to} names an unknown claim`);
    const exists = await app.prisma.claimRelation.findFirst({ where: { sourceClaimId: from, targetClaimId: to, type: r.type } });
    if (exists) continue;
    const basis = r.assertion ? assertionId.get(`${r.assertion.claim}/${party(r.assertion.party)}`) : undefined;
    await createRelation(app, caller, from, { id: r.id, type: r.type, targetClaimId: to, basis: r.basis, assertionId: basis, note: r.note });
    report.relations += 1;
  }
  return report;
}
