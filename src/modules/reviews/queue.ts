import { z } from 'zod';
import type { AppContext, Caller } from '../../http/context';
import { mayReadDrafts } from './visibility';
import { decodeCursor, toPage } from '../../http/pagination';
import { loadHits, positionSummaryOf } from '../claims/hits';
import { presentPartyRef, type PartyRef } from '../parties/presenter';
import { resolveFilterParty } from '../parties/repository';
import { draftsOn, lastSaidAt, partyCounterClaims, queueRows, type DraftOnClaim, type QueueAfter } from './queue-repository';
import type { ReviewQueueQuery } from './schema';

/** contested (0/1), parties with a position, latest assertion (epoch µs as text), id. */
const queueKeyset = z.tuple([
  z.union([z.literal(0), z.literal(1)]),
  z.number().int().min(0).max(2 ** 31 - 1),
  z.string().regex(/^-?\d{1,19}$/).refine((v) => /^-?\d{1,19}$/.test(v) && BigInt(v) >= -(2n ** 63n) && BigInt(v) < 2n ** 63n, 'out of range'),
  z.uuid(),
]);

/** Claims awaiting a verdict, most urgent first, each as search shows it (the hit read model), with who counters it and who drafts one. */
export async function reviewQueue(app: AppContext, caller: Caller, q: ReviewQueueQuery) {
  const partyIds = q.party ? await resolveFilterParty(app.prisma, q.party, 'party') : null;
  const after: QueueAfter = q.cursor ? decodeCursor(q.cursor, queueKeyset) : [null, null, null, null];
  const rows = await queueRows(app.prisma, { topic: q.topic ?? null, partyIds }, after, q.limit + 1);
  const ids = rows.map((r) => r.id);
  const [hits, drafts, counters, lastSaid] = await Promise.all([
    // The claims as search shows them: the queue and search cannot disagree on what a claim says or who says it.
    loadHits(app.prisma, ids),
    // Drafts are the desk's: READER and EDITOR keys see the claims awaiting a verdict, not who is drafting one.
    mayReadDrafts(caller) ? draftsOn(app.prisma, ids) : [],
    // Parties that answer a claim with a counter-claim dispute it as surely as those that deny it.
    partyCounterClaims(app.prisma, ids),
    lastSaidAt(app.prisma, ids),
  ]);
  const counteredBy = new Map<string, PartyRef[]>();
  for (const c of counters) {
    const party = c.assertion?.party;
    if (!party) continue;
    const list = counteredBy.get(c.targetClaimId) ?? [];
    if (!list.some((p) => p.id === party.id)) list.push(presentPartyRef(party));
    counteredBy.set(c.targetClaimId, list);
  }
  const currentDraft = new Map<string, DraftOnClaim>();
  for (const d of drafts) if (!currentDraft.has(d.claimId)) currentDraft.set(d.claimId, d);
  const items = rows.map((r) => {
    const hit = hits.get(r.id)!;
    const draft = currentDraft.get(r.id);
    return {
      claim: { id: r.id, statement: hit.statement, topics: hit.topics, contestation: hit.contestation, positions: positionSummaryOf(hit) },
      counteredBy: counteredBy.get(r.id) ?? [],
      partiesWithPosition: Number(r.parties),
      latestAssertionAt: new Date(Number(BigInt(r.latest_us) / 1000n)).toISOString(),
      latestAssertedAt: lastSaid.get(r.id)?.toISOString() ?? null,
      draft: draft ? { id: draft.id, status: draft.status, author: draft.author, updatedAt: draft.updatedAt.toISOString() } : null,
      sortKey: [Number(r.contested), Number(r.parties), r.latest_us, r.id] as (string | number)[],
    };
  });
  const page = toPage(items, q.limit, (i) => i.sortKey);
  return { data: page.data.map(({ sortKey: _, ...item }) => item), nextCursor: page.nextCursor };
}
