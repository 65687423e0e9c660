import type { AppContext } from '../../http/context';
import { decodeCursor, keyset, toPage, type Page } from '../../http/pagination';
import { NotFoundError } from '../../shared/errors';
import type { StoredEvent } from '../audit/chain';
import { dossierAsOf } from './as-of';
import { eventsReferring, headSeq, seqAt } from './repository';
import type { ClaimHistoryQuery } from './schema';

/** An instant, or a day meaning the whole of it (UTC). */
export function instantOf(value: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T23:59:59.999Z`) : new Date(value);
}

/**
 * Whose events make up a claim's history: the claim, the claims merged
 * into it, and the reviews of any of them (for their evidence).
 */
async function historyIds(app: AppContext, claimId: string, head: number): Promise<string[]> {
  const ids = new Set([claimId]);
  for (let round = 0; round < 2; round += 1) {
    for (const e of await eventsReferring(app.prisma, [...ids], head)) {
      const after = (e.after ?? e.before) as Record<string, unknown> | null;
      if (e.entityType === 'claim' && after && ids.has(after.merged_into_id as string)) ids.add(e.entityId);
      if (e.entityType === 'review') ids.add(e.entityId);
    }
  }
  return [...ids];
}

/** The claim's events in chain order, each with its seq and hash. */
export async function claimHistory(app: AppContext, claimId: string, q: ClaimHistoryQuery): Promise<Page<StoredEvent>> {
  const head = await headSeq(app.prisma);
  const [afterSeq] = q.cursor ? decodeCursor(q.cursor, keyset.seq) : [0];
  const ids = await historyIds(app, claimId, head);
  const events = await eventsReferring(app.prisma, ids, head, afterSeq, q.limit + 1);
  if (afterSeq === 0 && events.length === 0) throw new NotFoundError('claim', claimId);
  return toPage(events, q.limit, (e) => [e.seq]);
}

/** GET /v1/claims/{id}?asOf=: the dossier rebuilt from the chain as it stood at that instant. */
export async function getDossierAsOf(app: AppContext, claimId: string, asOf: string) {
  const untilSeq = await seqAt(app.prisma, instantOf(asOf));
  return { dossier: await dossierAsOf(app.prisma, claimId, untilSeq, asOf), untilSeq };
}
