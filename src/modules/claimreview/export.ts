import type { Claim, ClaimReview, CreativeWork, DataFeed, Graph, Organization, Person, WithContext } from 'schema-dts';
import type { Prisma } from '../../db/client';
import type { Prisma as PrismaNS } from '../../generated/prisma/client';
import type { ReviewRating } from '../../generated/prisma/enums';
import { decodeCursor, keyset, toPage } from '../../http/pagination';
import { requireLiveClaim } from '../claims/repository';
import { reviewPageUrl } from './page';
import type { FeedQuery } from './schema';

/*
 * Published reviews as schema.org ClaimReview JSON-LD, with the fields
 * Google requires (claimReviewed, reviewRating.alternateName, url, author)
 * and the claimant in itemReviewed.author, a person carrying the party they
 * speak for as affiliation. An imported review goes out with the URL and
 * the claimReviewed wording it came in with, so that importing the export
 * finds it again (a duplicate); every review also carries its identifier.
 */

const VALUE: Partial<Record<ReviewRating, number>> = { UNSUPPORTED: 1, MOSTLY_UNSUPPORTED: 2, MIXED: 3, MOSTLY_SUPPORTED: 4, SUPPORTED: 5 };

const partySelect = {
  id: true,
  name: true,
  kind: true,
  wikidataId: true,
  affiliationsAsPerson: { select: { role: true, party: { select: { name: true } } }, orderBy: { createdAt: 'asc' as const }, take: 1 },
};

const exportInclude = {
  reviewer: { select: { name: true, kind: true } },
  byline: { select: { name: true } },
  claim: {
    select: {
      id: true,
      statement: true,
      language: true,
      assertions: {
        where: { withdrawnAt: null, stance: 'AFFIRMS' as const },
        orderBy: [{ createdAt: 'asc' as const }, { id: 'asc' as const }],
        select: {
          id: true,
          assertedAt: true,
          party: { select: partySelect },
          speaker: { select: partySelect },
          source: { select: { url: true, kind: true, title: true, publishedAt: true } },
        },
      },
    },
  },
} satisfies PrismaNS.ReviewInclude;

type Row = Awaited<ReturnType<typeof loadRows>>[number];
type PartyRow = Row['claim']['assertions'][number]['party'];
type ImportRow = { reviewId: string; url: string | null; claimReviewed: string; assertionIds: string[] };

function loadRows(db: Prisma, where: object, take?: number) {
  return db.review.findMany({ where: { status: 'PUBLISHED', ...where }, include: exportInclude, orderBy: { id: 'desc' }, ...(take && { take }) });
}

const AFFILIATED = 'affiliated';

/** What the ledger knows of a party's identity elsewhere: its Wikidata item. */
const sameAs = (p: PartyRow) => (p.wikidataId ? { sameAs: `https://www.wikidata.org/wiki/${p.wikidataId}` } : {});

function organization(name: string, more: { url?: string; sameAs?: string } = {}): Organization {
  return { '@type': 'Organization', name, ...more };
}

/** The claimant: a person with the party they speak for as affiliation, or the party itself. */
function claimant(party: PartyRow, speaker: PartyRow | null): Person | Organization {
  if (party.kind === 'PERSON') {
    const aff = party.affiliationsAsPerson[0];
    return {
      '@type': 'Person',
      name: party.name,
      ...sameAs(party),
      ...(aff && aff.role !== AFFILIATED && { jobTitle: aff.role }),
      ...(aff && { affiliation: organization(aff.party.name) }),
    };
  }
  if (speaker) return { '@type': 'Person', name: speaker.name, ...sameAs(speaker), affiliation: organization(party.name, sameAs(party)) };
  return organization(party.name, sameAs(party));
}

/** The reviewing organisation's site: where its review was published, or this service's public address for its own. */
const siteOf = (reviewUrl: string | null, baseUrl: string) => `${new URL(reviewUrl ?? baseUrl).origin}/`;

/**
 * Who wrote it: the organisation (name and site, as Google asks of
 * `author`), and beside it the person who signed, working for it.
 */
function authorOf(row: Row, site: string): ClaimReview['author'] {
  const org = organization(row.reviewer.name, { url: site });
  if (row.byline) return [org, { '@type': 'Person', name: row.byline.name, worksFor: organization(row.reviewer.name) }];
  return row.reviewer.kind === 'PERSON' ? { '@type': 'Person', name: row.reviewer.name } : org;
}

function claimReview(row: Row, imported: ImportRow | undefined, baseUrl: string): WithContext<ClaimReview> {
  const chosen = imported?.assertionIds.length ? row.claim.assertions.filter((a) => imported.assertionIds.includes(a.id)) : [];
  const assertions = chosen.length ? chosen : row.claim.assertions;
  const authors = [...new Map(assertions.map((a) => [`${a.party.id}/${a.speaker?.id ?? ''}`, claimant(a.party, a.speaker)])).values()];
  const appearances = [...new Set(assertions.filter((a) => a.source.kind !== 'FACT_CHECK' && a.source.url).map((a) => a.source.url!))];
  // When the claim was made: as recorded, or else the day the place it appeared in was published.
  const said = assertions
    .map((a) => a.assertedAt ?? (a.source.kind === 'FACT_CHECK' ? null : a.source.publishedAt))
    .filter((d): d is Date => d !== null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const value = VALUE[row.rating];
  const published = row.url ?? imported?.url ?? null;
  const site = siteOf(published, baseUrl);
  const item: Claim = {
    '@type': 'Claim',
    author: authors.length === 1 ? authors[0]! : authors,
    ...(said && { datePublished: said.toISOString().slice(0, 10) }),
    ...(appearances.length && { appearance: appearances.map((url): CreativeWork => ({ '@type': 'CreativeWork', url })) }),
  };
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    identifier: `counterpoint:review:${row.id}`,
    url: published ?? reviewPageUrl(baseUrl, row.id),
    claimReviewed: imported?.claimReviewed ?? row.claim.statement,
    datePublished: (row.publishedAt ?? row.createdAt).toISOString().slice(0, 10),
    author: authorOf(row, site),
    ...(row.byline && { publisher: organization(row.reviewer.name, { url: site }) }),
    reviewRating: {
      '@type': 'Rating',
      ...(value !== undefined && { ratingValue: value, bestRating: 5, worstRating: 1 }),
      alternateName: row.ratingLabel,
    },
    reviewBody: row.summary,
    ...(row.claim.language && { inLanguage: row.claim.language }),
    itemReviewed: item,
  };
}

async function importsOf(db: Prisma, reviewIds: string[]): Promise<Map<string, ImportRow>> {
  const rows = await db.claimReviewImport.findMany({
    where: { reviewId: { in: reviewIds } },
    select: { reviewId: true, url: true, claimReviewed: true, assertionIds: true },
  });
  return new Map(rows.map((r) => [r.reviewId, r]));
}

/** Every published review of a claim, as a JSON-LD graph of ClaimReviews. */
export async function claimReviewsOfClaim(db: Prisma, claimId: string, baseUrl: string): Promise<Graph> {
  await requireLiveClaim(db, claimId, '/claimreview');
  const rows = await loadRows(db, { claimId });
  const imported = await importsOf(db, rows.map((r) => r.id));
  return { '@context': 'https://schema.org', '@graph': rows.map((r) => claimReview(r, imported.get(r.id), baseUrl)) };
}

const endOfDay = (d: string) => new Date(`${d}T23:59:59.999Z`);

/** The feed: a schema.org DataFeed of published reviews, newest first, a page at a time. */
export async function claimReviewFeed(db: Prisma, q: FeedQuery, baseUrl: string) {
  const after = q.cursor ? decodeCursor(q.cursor, keyset.id)[0] : undefined;
  const rows = await loadRows(
    db,
    {
      ...(after && { id: { lt: after } }),
      ...((q.from || q.to) && { publishedAt: { ...(q.from && { gte: new Date(`${q.from}T00:00:00Z`) }), ...(q.to && { lte: endOfDay(q.to) }) } }),
    },
    q.limit + 1,
  );
  const page = toPage(rows, q.limit, (r) => [r.id]);
  const imported = await importsOf(db, page.data.map((r) => r.id));
  // nextCursor is ours, beside schema.org's fields: the feed's own way on (the Link header says the same).
  const feed: WithContext<DataFeed> & { nextCursor: string | null } = {
    '@context': 'https://schema.org',
    '@type': 'DataFeed',
    dateModified: new Date().toISOString(),
    dataFeedElement: page.data.map((r) => ({
      '@type': 'DataFeedItem',
      dateCreated: (r.publishedAt ?? r.createdAt).toISOString(),
      item: [claimReview(r, imported.get(r.id), baseUrl)],
    })),
    nextCursor: page.nextCursor,
  };
  return { feed, nextCursor: page.nextCursor };
}
