import type { AppContext } from '../../http/context';
import { decodeCursor, toPage } from '../../http/pagination';
import { presentAssertion } from '../claims/presenter';
import { loadPositionSummaries, positionInclude } from '../claims/repository';
import { endOf, recentKeyset } from '../claims/search';
import { findPartyOrThrow } from './repository';
import type { PartyStatementsQuery } from './schema';

/*
 * What a party has said (SPEC §3.2 `GET /v1/parties/{id}/statements`): its own
 * active assertions, those it made as a speaker, and those of the people
 * affiliated to it while the affiliation held, newest first. Each branch is a
 * keyset walk down its own index (assertion_party_said_fts,
 * assertion_speaker_said_fts, once per member); the union keeps the first
 * page of each.
 */

type Hit = { id: string; said: Date };

const SAID = `coalesce(a."asserted_at", a."created_at")`;

export async function partyStatements(app: AppContext, ref: string, q: PartyStatementsQuery) {
  const party = await findPartyOrThrow(app.prisma, ref);
  const params: unknown[] = [party.id];
  const $ = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}${cast}`;
  };
  // Assertions move with a merge, so none points at a merged claim: the
  // claim is joined only to filter by topic.
  const filters = [`a."withdrawn_at" IS NULL`];
  const join = q.topic ? `JOIN "claim" c ON c."id" = a."claim_id"` : '';
  if (q.topic) filters.push(`c."topics" @> ARRAY[${$(q.topic, '::text')}]`);
  if (q.stance) filters.push(`a."stance" = ${$(q.stance, '::"Stance"')}`);
  if (q.from) filters.push(`${SAID} >= ${$(new Date(q.from).toISOString(), '::timestamptz')}`);
  if (q.to) filters.push(`${SAID} <= ${$(endOf(q.to).toISOString(), '::timestamptz')}`);
  if (q.cursor) {
    const [said, id] = decodeCursor(q.cursor, recentKeyset);
    filters.push(`(${SAID}, a."id") < (${$(String(said), '::timestamptz')}, ${$(String(id), '::uuid')})`);
  }
  const limit = $(q.limit + 1, '::int');
  const newest = (who: string) =>
    `SELECT a."id", ${SAID} AS "said" FROM "assertion" a ${join}
     WHERE ${who} AND ${filters.join(' AND ')}
     ORDER BY ${SAID} DESC, a."id" DESC LIMIT ${limit}`;
  // Each member's newest first (an index walk per member), while the affiliation held.
  const members = `SELECT m."id", m."said" FROM "affiliation" f CROSS JOIN LATERAL (
       ${newest(`a."speaker_id" = f."person_id"
         AND (f."from_date" IS NULL OR ${SAID} >= f."from_date")
         AND (f."to_date" IS NULL OR ${SAID} < f."to_date" + 1)`)}
     ) m WHERE f."party_id" = $1::uuid
     ORDER BY m."said" DESC, m."id" DESC LIMIT ${limit}`;
  // The planner would read every statement of each member (bitmap scan, then
  // sort) where an ordered walk of the index reads one page of each: 148 ms
  // against 23 ms for a party with 122 members on the 1M benchmark dataset.
  const [, hits] = await app.prisma.$transaction([
    app.prisma.$executeRawUnsafe('SET LOCAL enable_bitmapscan = off'),
    app.prisma.$queryRawUnsafe<Hit[]>(
    `SELECT "id"::text AS "id", "said" FROM (
       (${newest('a."party_id" = $1::uuid')})
       UNION
       (${newest('a."speaker_id" = $1::uuid')})
       UNION
       (${members})
     ) s
     ORDER BY "said" DESC, "id" DESC
     LIMIT ${limit}`,
    ...params,
    ),
  ]);
  const page = toPage(hits, q.limit, (h) => [new Date(h.said).toISOString(), h.id]);
  const rows = await app.prisma.assertion.findMany({
    where: { id: { in: page.data.map((h) => h.id) } },
    include: { ...positionInclude, claim: { select: { id: true, statement: true, contestation: true } } },
  });
  const summaries = await loadPositionSummaries(app.prisma, rows.map((r) => r.claimId));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const data = page.data.flatMap((h) => {
    const a = byId.get(h.id);
    if (!a) return [];
    const via = a.partyId === party.id ? 'party' : a.speakerId === party.id ? 'speaker' : 'affiliation';
    return [{ ...presentAssertion(a), via, claim: { ...a.claim, positions: summaries.get(a.claimId)! } }];
  });
  return { data, nextCursor: page.nextCursor };
}
