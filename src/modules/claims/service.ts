import type { Tx } from '../../db/transaction';
import { readerOf, type AppContext, type Caller } from '../../http/context';
import { toPage } from '../../http/pagination';
import { ConflictError, NotFoundError, UnprocessableError } from '../../shared/errors';
import { requireCurrent, type IfMatch } from '../../http/etag';
import { uuidv7, type FixedId } from '../../shared/uuid';
import { insertAssertion } from '../assertions/service';
import { referencedParty } from '../assertions/references';
import { write } from '../write';
import { presentDossierJson, presentHitPage } from './presenter';
import { presentNow } from './hits';
import type { ClaimSummaryOut, DossierOut } from './responses';
import { readThrough, type PreparedRead } from '../../db/client';
import { resolveFilterParty } from '../parties/repository';
import { decodeKeyset, hitKey, searchFingerprint, searchOrder } from './search';
import { findMatches, searchHits, type SearchMatch } from './search-repository';
import {
  loadDossierJson,
  lockClaims,
  requireLiveClaim,
  lockLiveClaim,
  refreshClaims,
} from './repository';
import type { CreateClaimInput, ListClaimsQuery, PatchClaimInput } from './schema';

/** The dossier as JSON, in one statement; a missing claim is a 404, a merged one a redirect to its survivor. */
async function dossierJson(db: Tx | AppContext['prisma'], read: PreparedRead, id: string): Promise<string> {
  const row = await loadDossierJson(read, id);
  if (row) return presentDossierJson(row);
  await requireLiveClaim(db, id);
  throw new NotFoundError('claim', id);
}

export async function buildDossier(db: Tx | AppContext['prisma'], id: string): Promise<DossierOut> {
  return JSON.parse(await dossierJson(db, readThrough(db), id)) as DossierOut;
}

/** The claim's own fields, as recorded in the audit log. */
function claimSnapshot(c: { id: string; statement: string; topics: string[]; language: string | null; mergedIntoId: string | null }, subjects: string[]) {
  return { id: c.id, statement: c.statement, topics: c.topics, subjects, language: c.language, mergedIntoId: c.mergedIntoId };
}

async function subjectIds(tx: Tx, refs: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, ref] of refs.entries()) ids.push((await referencedParty(tx, ref, `subjects.${i}`)).id);
  return [...new Set(ids)];
}

/** A claim is born with its first assertion, in one transaction (invariant 1). */
export async function createClaim(app: AppContext, caller: Caller, input: CreateClaimInput & { assertion: FixedId }, fixedId?: string) {
  return write(app, caller, async (tx, audit) => {
    const id = fixedId ?? uuidv7();
    const subjects = await subjectIds(tx, input.subjects);
    const claim = await tx.claim.create({
      data: {
        id,
        statement: input.statement,
        topics: input.topics,
        language: input.language ?? null,
        createdById: caller.actor?.id ?? null,
        subjects: { create: subjects.map((partyId) => ({ partyId })) },
      },
    });
    const assertion = await insertAssertion(tx, caller, id, input.assertion, 'assertion.');
    await refreshClaims(tx, [id], { bumpVersion: false });
    const dossier = await buildDossier(tx, id);
    audit({
      action: 'claim.create',
      entityType: 'claim',
      entityId: id,
      after: { ...claimSnapshot(claim, subjects), firstAssertionId: assertion.id },
    });
    return dossier;
  });
}

/** GET /v1/claims/{id}: the dossier as the database wrote it, ready to send. */
export async function getDossierJson(app: AppContext, id: string): Promise<string> {
  return dossierJson(app.prisma, readerOf(app), id);
}

/**
 * Search and filters (SPEC §3.2), as the page's JSON: one indexed query
 * (search.ts) finds the hits, each with its precomputed presentation and,
 * when `q` was given, where the words matched. A hit left stale by a write
 * outside the service is presented here, the slow way.
 */
export async function listClaims(app: AppContext, q: ListClaimsQuery): Promise<string> {
  const [partyIds, speakerIds] = await Promise.all([
    q.party ? resolveFilterParty(app.prisma, q.party, 'party') : undefined,
    q.speaker ? resolveFilterParty(app.prisma, q.speaker, 'speaker') : undefined,
  ]);
  const refs = { partyIds, speakerIds };
  const order = searchOrder(q);
  const fingerprint = searchFingerprint(q, refs);
  const after = q.cursor ? decodeKeyset(q.cursor, order, fingerprint) : undefined;
  const hits = await searchHits(app.prisma, q, refs, after);
  const page = toPage(hits, q.limit, (h) => hitKey(order, fingerprint, h));
  const stale = page.data.filter((h) => h.body === null).map((h) => h.id);
  const presented = new Map<string, ClaimSummaryOut & { matches?: SearchMatch[] }>();
  if (stale.length > 0) {
    const [now, matches] = await Promise.all([presentNow(app.prisma, stale), q.q ? findMatches(app.prisma, stale, q.q) : undefined]);
    for (const [id, summary] of now) presented.set(id, matches ? { ...summary, matches: matches.get(id) ?? [] } : summary);
  }
  return presentHitPage(page, presented, Boolean(q.q));
}

export async function patchClaim(app: AppContext, caller: Caller, id: string, ifMatch: IfMatch, input: PatchClaimInput) {
  return write(app, caller, async (tx, audit) => {
    await lockLiveClaim(tx, id);
    requireCurrent(ifMatch, await buildDossier(tx, id), 'claim');
    const current = await tx.claim.findUniqueOrThrow({ where: { id }, include: { subjects: true } });
    const before = claimSnapshot(current, current.subjects.map((s) => s.partyId));
    const subjects = input.subjects ? await subjectIds(tx, input.subjects) : undefined;
    const updated = await tx.claim.update({
      where: { id },
      data: {
        ...(input.statement !== undefined && { statement: input.statement }),
        ...(input.topics !== undefined && { topics: input.topics }),
        ...(input.language !== undefined && { language: input.language }),
        ...(subjects && { subjects: { deleteMany: {}, create: subjects.map((partyId) => ({ partyId })) } }),
        version: { increment: 1 },
      },
      include: { subjects: true },
    });
    audit({ action: 'claim.update', entityType: 'claim', entityId: id, before, after: claimSnapshot(updated, updated.subjects.map((s) => s.partyId)) });
    return buildDossier(tx, id);
  });
}

/**
 * Folds a duplicate into the claim that survives: its assertions, subjects,
 * topics and relations move over; the duplicate stays as a redirect.
 * Relations that would become a claim's relation to itself, or repeat one
 * the survivor already has, stay with the duplicate as history.
 */
export async function mergeClaim(app: AppContext, caller: Caller, id: string, intoId: string) {
  return write(app, caller, async (tx, audit) => {
    if (id === intoId) throw new UnprocessableError('self-merge', 'A claim cannot be merged into itself', [{ path: 'intoClaimId', message: 'same claim' }]);
    // Lock both, then read: of two crossed merges, the second sees the first's outcome.
    await lockClaims(tx, [id, intoId]);
    const from = await tx.claim.findUnique({ where: { id } });
    const into = await tx.claim.findUnique({ where: { id: intoId } });
    if (!from) throw new NotFoundError('claim', id);
    if (from.mergedIntoId) throw new ConflictError('already-merged', `This claim was already merged into ${from.mergedIntoId}`, { survivorId: from.mergedIntoId });
    if (!into) throw new UnprocessableError('unknown-claim', `No claim with id '${intoId}'`, [{ path: 'intoClaimId', message: 'no such claim' }]);
    if (into.mergedIntoId === id) {
      throw new ConflictError('already-merged', `Claim ${intoId} was just merged into this one`, { survivorId: id });
    }
    if (into.mergedIntoId) {
      throw new UnprocessableError('claim-merged', `Claim ${intoId} was itself merged into ${into.mergedIntoId}; merge into that one`, [
        { path: 'intoClaimId', message: 'merged claim' },
      ], { survivorId: into.mergedIntoId });
    }
    // Relations are only drawn between locked claims, so none appears on `id` once it is locked.
    const related = await tx.claimRelation.findMany({ where: { OR: [{ sourceClaimId: id }, { targetClaimId: id }] } });
    const neighbours = related.map((r) => (r.sourceClaimId === id ? r.targetClaimId : r.sourceClaimId));
    await lockClaims(tx, neighbours);

    // The database keeps redirects one hop long and lets assertions move only with their claim's merge: re-point, mark, then move.
    await tx.claim.updateMany({ where: { mergedIntoId: id }, data: { mergedIntoId: intoId } });
    await tx.claim.update({ where: { id }, data: { mergedIntoId: intoId, version: { increment: 1 } } });
    const moved = await tx.assertion.updateMany({ where: { claimId: id }, data: { claimId: intoId } });
    const subjects = await tx.claimSubject.findMany({ where: { claimId: id } });
    await tx.claimSubject.createMany({ data: subjects.map((s) => ({ claimId: intoId, partyId: s.partyId })), skipDuplicates: true });
    const topics = [...new Set([...into.topics, ...from.topics])];
    await tx.claim.update({ where: { id: intoId }, data: { topics } });
    for (const r of related) {
      const source = r.sourceClaimId === id ? intoId : r.sourceClaimId;
      const target = r.targetClaimId === id ? intoId : r.targetClaimId;
      if (source === target) continue;
      const clash = await tx.claimRelation.findUnique({
        where: { sourceClaimId_targetClaimId_type: { sourceClaimId: source, targetClaimId: target, type: r.type } },
        select: { id: true },
      });
      if (!clash) await tx.claimRelation.update({ where: { id: r.id }, data: { sourceClaimId: source, targetClaimId: target } });
    }
    await refreshClaims(tx, [intoId, ...neighbours.filter((n) => n !== intoId && n !== id)]);
    audit({
      action: 'claim.merge',
      entityType: 'claim',
      entityId: id,
      before: { id, mergedIntoId: null },
      after: { id, mergedIntoId: intoId, movedAssertions: moved.count },
    });
    return buildDossier(tx, intoId);
  });
}
