import { readerOf, type AppContext } from '../../http/context';
import { decodeCursor } from '../../http/pagination';
import { NotFoundError } from '../../shared/errors';
import { endOf, recentKeyset } from '../claims/search';
import { partyStatementsJson } from './read-repository';
import type { PartyStatementsQuery } from './schema';

/*
 * What a party has said (SPEC §3.2 `GET /v1/parties/{id}/statements`): its own
 * active assertions, those it made as a speaker, and those of the people
 * affiliated to it while the affiliation held, newest first; each with its
 * claim and who holds which position on it. One statement writes the page
 * (read-repository.ts).
 */
export async function partyStatements(app: AppContext, ref: string, q: PartyStatementsQuery): Promise<string> {
  const json = await partyStatementsJson(readerOf(app), ref, {
    limit: q.limit,
    stance: q.stance,
    topic: q.topic,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? endOf(q.to) : undefined,
    after: q.cursor ? (decodeCursor(q.cursor, recentKeyset) as [string, string]) : undefined,
  });
  if (json === undefined) throw new NotFoundError('party', ref);
  return json;
}
