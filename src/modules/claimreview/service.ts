import type { Prisma as PrismaNS } from '../../generated/prisma/client';
import type { Tx } from '../../db/transaction';
import { translateDatabaseError } from '../../db/errors';
import type { AppContext, Caller } from '../../http/context';
import { DomainError, ForbiddenError, ServiceUnavailableError } from '../../shared/errors';
import { languageSchema } from '../../shared/text';
import { uuidv7 } from '../../shared/uuid';
import { insertAssertion } from '../assertions/service';
import { presentAssertion } from '../claims/presenter';
import { lockClaims, refreshClaims } from '../claims/repository';
import { reviewInclude } from '../reviews/repository';
import { reviewSnapshot } from '../reviews/presenter';
import { claimReviewImportItems } from '../metrics/registry';
import { write, type Audit } from '../write';
import type { Extraction, FoundItem } from './jsonld';
import { mapClaimReview, type ClaimantSpec, type MappedClaimReview, type PartySpec } from './mapping';
import {
  createImportedSource,
  ensureAffiliation,
  findOrCreateParty,
  unidentifiedClaimants,
} from './repository';

export type ItemReport =
  | { at: string; status: 'imported'; identity: string; claimId: string; assertionIds: string[]; reviewId: string; rating: string; ratingLabel: string }
  | { at: string; status: 'duplicate'; identity: string; claimId: string; reviewId: string }
  | { at: string; status: 'rejected'; reason: string };

export type ImportReport = {
  summary: { found: number; imported: number; duplicate: number; rejected: number };
  items: ItemReport[];
};

/** An assertion per claimant and place of appearance, within reason. */
const MAX_ASSERTIONS = 20;

const REVIEW_URL = /\/(?:v1\/)?reviews\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;

/**
 * The review this item already is: imported before under the same identity,
 * or exported from here (its identifier or its URL names one of our reviews).
 */
async function existingReview(tx: Tx, m: MappedClaimReview) {
  const imported = await tx.claimReviewImport.findUnique({ where: { identity: m.identity }, select: { reviewId: true, claimId: true } });
  if (imported) return imported;
  const ownId = m.exportedReviewId ?? (m.url ? REVIEW_URL.exec(m.url)?.[1]?.toLowerCase() : undefined);
  if (!ownId) return null;
  const own = await tx.review.findUnique({ where: { id: ownId }, select: { id: true, claimId: true } });
  return own ? { reviewId: own.id, claimId: own.claimId } : null;
}

async function claimantParty(tx: Tx, audit: Audit, c: ClaimantSpec) {
  if (c.collective) return unidentifiedClaimants(tx, audit, c.name);
  const description = c.kind === 'PERSON' && c.jobTitle && !c.affiliation ? c.jobTitle : null;
  const party = await findOrCreateParty(tx, audit, { ...c, description });
  if (party.kind === 'PERSON' && c.affiliation) {
    const org = await findOrCreateParty(tx, audit, c.affiliation);
    if (org.id !== party.id) await ensureAffiliation(tx, audit, party.id, org.id, c.jobTitle ?? 'affiliated');
  }
  return party;
}

/** The person who signed the review, affiliated to the organisation they reviewed for. */
async function bylineParty(tx: Tx, audit: Audit, spec: PartySpec, reviewerId: string) {
  const person = await findOrCreateParty(tx, audit, { ...spec, kind: 'PERSON' });
  if (person.id !== reviewerId && person.kind === 'PERSON') await ensureAffiliation(tx, audit, person.id, reviewerId, 'affiliated');
  return person;
}

const language = (tag: string | null) => (tag && languageSchema.safeParse(tag).success ? tag : null);
const dateOf = (d: { iso: string; precision: string } | null) => (d ? new Date(d.precision === 'DAY' ? `${d.iso}T00:00:00Z` : d.iso) : null);

/**
 * Where the claim was made: its appearances, or else the fact-check page
 * itself, holding the claim as text so the quote is anchored in it. A page
 * with several ClaimReviews gets a source per claim (the URL carries a
 * fragment naming it), since a source's URL is unique.
 */
async function claimSources(tx: Tx, audit: Audit, m: MappedClaimReview, reviewerId: string) {
  const sources = [];
  for (const a of m.appearances) {
    const existing = await tx.source.findUnique({ where: { url: a.url } });
    if (existing && existing.text !== null && !existing.text.includes(m.claimReviewed)) continue;
    sources.push(
      existing ??
        (await createImportedSource(tx, audit, {
          kind: a.kind,
          title: a.title,
          url: a.url,
          publisherId: null,
          publishedAt: dateOf(a.publishedAt ?? m.claimDate),
          language: null,
          text: null,
        })),
    );
  }
  if (sources.length > 0) return sources;
  const candidates = m.page.url ? [m.page.url, `${m.page.url.replace(/#.*$/, '')}#claim-${m.identity.slice(-16)}`] : [null];
  for (const url of candidates) {
    const existing = url ? await tx.source.findUnique({ where: { url } }) : null;
    if (existing?.text === m.claimReviewed) return [existing];
    if (existing) continue;
    const source = await createImportedSource(tx, audit, {
      kind: 'FACT_CHECK',
      title: m.page.title,
      url,
      publisherId: reviewerId,
      publishedAt: dateOf(m.reviewDate),
      language: language(m.page.language),
      text: m.claimReviewed,
    });
    return [source];
  }
  throw new Error('unreachable: the fragment URL is unique to the claim');
}

async function importOne(app: AppContext, caller: Caller, m: MappedClaimReview, raw: FoundItem): Promise<Omit<ItemReport, 'at'>> {
  const actorId = caller.actor?.id;
  if (!actorId) throw new ForbiddenError('Imports are made by an identified actor');
  return write(app, caller, async (tx, audit) => {
    const seen = await existingReview(tx, m);
    if (seen) return { status: 'duplicate', identity: m.identity, ...seen };

    const reviewer = await findOrCreateParty(tx, audit, m.reviewer);
    const byline = m.byline ? await bylineParty(tx, audit, m.byline, reviewer.id) : null;
    const claimants = [];
    for (const c of m.claimants) claimants.push({ spec: c, party: await claimantParty(tx, audit, c) });
    const sources = await claimSources(tx, audit, m, reviewer.id);

    // The same words already recorded as a claim: this is one more review (and assertion) of it.
    const live = await tx.claim.findFirst({ where: { statement: m.claimReviewed, mergedIntoId: null }, orderBy: { id: 'asc' }, select: { id: true } });
    const claimId = live?.id ?? uuidv7();
    if (live) {
      await lockClaims(tx, [claimId]);
    } else {
      await tx.claim.create({ data: { id: claimId, statement: m.claimReviewed, topics: [], language: language(m.page.language), createdById: actorId } });
    }
    const assertionIds: string[] = [];
    for (const { spec, party } of claimants) {
      for (const source of sources) {
        if (assertionIds.length >= MAX_ASSERTIONS) break;
        const already = await tx.assertion.findFirst({
          where: { claimId, partyId: party.id, sourceId: source.id, stance: 'AFFIRMS', withdrawnAt: null },
          select: { id: true },
        });
        if (already) continue;
        const occasion = [spec.collective && spec.publishedName ? `claimant as published: ${spec.publishedName}` : null, m.occasion].filter(Boolean).join('; ');
        const assertion = await insertAssertion(tx, caller, claimId, {
          partyId: party.id,
          sourceId: source.id,
          stance: 'AFFIRMS',
          quote: m.claimReviewed,
          quoteKind: 'INDIRECT',
          assertedAt: m.claimDate?.iso,
          occasion: occasion ? occasion.slice(0, 500) : undefined,
        });
        assertionIds.push(assertion.id);
        audit({ action: 'assertion.create', entityType: 'assertion', entityId: assertion.id, after: presentAssertion(assertion) });
      }
    }
    // A claim is never without an attribution: reusing one, we may add none (it is already attributed); making one, we added some.
    await refreshClaims(tx, [claimId], { bumpVersion: !!live });
    if (!live) {
      audit({
        action: 'claim.create',
        entityType: 'claim',
        entityId: claimId,
        after: { id: claimId, statement: m.claimReviewed, topics: [], subjects: [], language: language(m.page.language), firstAssertionId: assertionIds[0] ?? null },
      });
    }

    const published = dateOf(m.reviewDate) ?? new Date();
    const review = await tx.review.create({
      data: {
        id: uuidv7(),
        claimId,
        reviewerId: reviewer.id,
        bylineId: byline?.id ?? null,
        origin: 'imported',
        url: m.url,
        authorActorId: actorId,
        rating: m.rating,
        ratingLabel: m.ratingLabel,
        summary: m.summary,
        status: 'PUBLISHED',
        publishedAt: published,
        publishedById: actorId,
        ...(m.url && { evidence: { create: [{ id: uuidv7(), position: 0, url: m.url, relation: 'CONTEXT', note: `The fact-check as published by ${reviewer.name}` }] } }),
      },
      include: reviewInclude,
    });
    audit({ action: 'review.create', entityType: 'review', entityId: review.id, after: reviewSnapshot(review) });

    const record = await tx.claimReviewImport.create({
      data: {
        id: uuidv7(),
        identity: m.identity,
        url: m.url,
        claimReviewed: m.claimReviewed,
        reviewId: review.id,
        claimId,
        assertionIds,
        item: raw.value as PrismaNS.InputJsonValue,
        importedById: actorId,
      },
    });
    audit({
      action: 'import',
      entityType: 'claimreview_import',
      entityId: record.id,
      after: { identity: m.identity, url: m.url, reviewId: review.id, claimId, assertionIds, rating: m.rating, ratingLabel: m.ratingLabel, ratingBasis: m.ratingBasis },
    });
    return { status: 'imported', identity: m.identity, claimId, assertionIds, reviewId: review.id, rating: m.rating, ratingLabel: m.ratingLabel };
  });
}

/** Why an item could not be stored, in words for the report; a lost database stops the whole batch. */
function rejection(err: unknown, app: AppContext): string {
  const domain = translateDatabaseError(err);
  if (domain instanceof ServiceUnavailableError) throw domain;
  if (domain instanceof DomainError) {
    const fields = 'errors' in domain && Array.isArray(domain.errors) ? domain.errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message}`) : [];
    return [domain.message, ...fields].join('; ');
  }
  app.logger.error('claimreview import: item failed', { error: err });
  return 'the item could not be stored (an internal error; the server log has the details)';
}

/**
 * Imports every ClaimReview found, each in its own transaction: one bad item
 * is reported and the others go on. Items are imported one after another,
 * so two items naming the same new party in one batch make it once.
 */
export async function importClaimReviews(
  app: AppContext,
  caller: Caller,
  extraction: Extraction,
  onItem?: (done: number, total: number, item: ItemReport) => void,
): Promise<ImportReport> {
  const items: ItemReport[] = extraction.problems.map((p) => ({ at: p.at, status: 'rejected', reason: p.reason }));
  const total = extraction.items.length;
  for (const [i, found] of extraction.items.entries()) {
    const mapped = mapClaimReview(found.value, found);
    let report: ItemReport;
    if (!mapped.ok) {
      report = { at: found.at, status: 'rejected', reason: mapped.reason };
    } else {
      try {
        report = { at: found.at, ...(await importOne(app, caller, mapped.value, found)) } as ItemReport;
      } catch (err) {
        report = { at: found.at, status: 'rejected', reason: rejection(err, app) };
      }
    }
    items.push(report);
    onItem?.(i + 1, total, report);
  }
  for (const item of items) claimReviewImportItems.inc({ outcome: item.status });
  const count = (s: ItemReport['status']) => items.filter((it) => it.status === s).length;
  return { summary: { found: total, imported: count('imported'), duplicate: count('duplicate'), rejected: count('rejected') }, items };
}
