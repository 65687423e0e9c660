import type { AppContext } from '../../http/context';
import { decodeCursor, toPage } from '../../http/pagination';
import { presentAssertion } from '../claims/presenter';
import { loadPositionSummaries, positionInclude } from '../claims/repository';
import { endOf } from '../claims/search';
import { findPartyOrThrow } from './repository';
import type { PartyStatementsQuery } from './schema';

/*
 * What a party has said (SPEC §3.2 `GET /v1/parties/{id}/statements`): its own
 * active assertions, those it made as a speaker, and those of the people
 * affiliated to it while the affiliation held, newest first. Each branch is a
 * keyset walk down its own index (assertion_party_said_fts,
 * assertion_speaker_said_fts); the union keeps the first page of each.
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
  const filters = [`a."withdrawn_at" IS NULL`, `c."merged_into_id" IS NULL`];
  if (q.stance) filters.push(`a."stance" = ${$(q.stance, '::"Stance"')}`);
  if (q.topic) filters.push(`c."topics" @> ARRAY[${$(q.topic, '::text')}]`);
  if (q.from) filters.push(`${SAID} >= ${$(new Date(q.from).toISOString(), '::timestamptz')}`);
  if (q.to) filters.push(`${SAID} <= ${$(endOf(q.to).toISOString(), '::timestamptz')}`);
  if (q.cursor) {
    const [said, id] = decodeCursor(q.cursor, 2);
    filters.push(`(${SAID}, a."id") < (${$(String(said), '::timestamptz')}, ${$(String(id), '::uuid')})`);
  }
  const limit = $(q.limit + 1, '::int');
  const branch = (join: string, who: string) =>
    `(SELECT a."id", ${SAID} AS "said" FROM "assertion" a JOIN "claim" c ON c."id" = a."claim_id" ${join}
      WHERE ${who} AND ${filters.join(' AND ')}
      ORDER BY ${SAID} DESC, a."id" DESC LIMIT ${limit})`;
  const hits = await app.prisma.$queryRawUnsafe<Hit[]>(
    `SELECT "id"::text AS "id", "said" FROM (
       ${branch('', 'a."party_id" = $1::uuid')}
       UNION
       ${branch('', 'a."speaker_id" = $1::uuid')}
       UNION
       ${branch(
         `JOIN "affiliation" f ON f."person_id" = a."speaker_id" AND f."party_id" = $1::uuid
            AND (f."from_date" IS NULL OR ${SAID} >= f."from_date")
            AND (f."to_date" IS NULL OR ${SAID} < f."to_date" + 1)`,
         'a."speaker_id" IS NOT NULL',
       )}
     ) s
     ORDER BY "said" DESC, "id" DESC
     LIMIT ${limit}`,
    ...params,
  );
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
