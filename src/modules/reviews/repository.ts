import type { Prisma } from '../../db/client';
import type { Tx } from '../../db/transaction';
import type { Prisma as PrismaNS } from '../../generated/prisma/client';
import { partyRefSelect } from '../parties/repository';

type Db = Tx | Prisma;

const actorRefSelect = { id: true, name: true } as const;

export const reviewInclude = {
  reviewer: { select: partyRefSelect },
  byline: { select: partyRefSelect },
  author: { select: actorRefSelect },
  publishedBy: { select: actorRefSelect },
  withdrawnBy: { select: actorRefSelect },
  contributors: { orderBy: [{ firstAt: 'asc' }, { actorId: 'asc' }], include: { actor: { select: actorRefSelect } } },
  claim: { select: { statement: true } },
  evidence: { orderBy: { position: 'asc' }, include: { source: { select: { id: true, title: true, url: true } } } },
} satisfies PrismaNS.ReviewInclude;

export async function findReview(db: Db, id: string) {
  return db.review.findUnique({ where: { id }, include: reviewInclude });
}
export type ReviewRow = NonNullable<Awaited<ReturnType<typeof findReview>>>;

/** Serialises writers of one review (edits and transitions). */
export async function lockReview(tx: Tx, id: string): Promise<void> {
  await tx.$queryRawUnsafe('SELECT 1 FROM "review" WHERE "id" = $1::uuid FOR UPDATE', id);
}

/** Records that `actorId` wrote some of the review's content (once per actor). */
export async function addContributor(tx: Tx, reviewId: string, actorId: string): Promise<void> {
  await tx.reviewContributor.createMany({ data: [{ reviewId, actorId }], skipDuplicates: true });
}

/** The verdicts a dossier shows: published ones, oldest first. */
export async function loadPublishedReviews(db: Db, claimIds: string[]): Promise<ReviewRow[]> {
  if (claimIds.length === 0) return [];
  return db.review.findMany({
    where: { claimId: { in: claimIds }, status: 'PUBLISHED' },
    include: reviewInclude,
    orderBy: [{ publishedAt: 'asc' }, { id: 'asc' }],
  });
}
