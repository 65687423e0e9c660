import type { Prisma } from '../../db/client';
import type { PartyKind } from '../../generated/prisma/enums';
import type { Frequencies } from './matching';
import { PartyIndex } from './mentions';

/* The draft check's SQL: analysis, candidate retrieval, the texts it scores and the names it looks for. */

type Db = Prisma;

/** Each text's lexemes, analysed as the claims are (migration 20261201140000_draft_check). */
export async function analyse(db: Db, language: string, texts: string[]): Promise<string[][]> {
  if (texts.length === 0) return [];
  const rows = await db.$queryRawUnsafe<{ i: number; lexemes: string[] }[]>(
    `SELECT t.i::int AS "i", "cp_draft_lexemes"($1, t.body) AS "lexemes" FROM unnest($2::text[]) WITH ORDINALITY AS t(body, i)`,
    language,
    texts,
  );
  const out: string[][] = texts.map(() => []);
  for (const r of rows) out[r.i - 1] = r.lexemes;
  return out;
}

const FREQUENCY_TTL_MS = 10 * 60_000;
const frequencyCache = new WeakMap<Db, { at: number; value: Frequencies }>();

/**
 * The share of claims holding each of the most common lexemes, from the
 * planner's statistics on the draft vector (ANALYZE keeps them): the
 * candidate query pairs the rarer lexemes of a sentence. Empty before the
 * first ANALYZE, when every lexeme counts as rare.
 */
export async function lexemeFrequencies(db: Db): Promise<Frequencies> {
  const cached = frequencyCache.get(db);
  if (cached && Date.now() - cached.at < FREQUENCY_TTL_MS) return cached.value;
  const rows = await db.$queryRawUnsafe<{ elems: string[] | null; freqs: number[] | null; claims: number }[]>(
    `SELECT s.most_common_elems::text::text[] AS "elems", s.most_common_elem_freqs AS "freqs", greatest(c.reltuples, 0)::float8 AS "claims"
     FROM pg_class c LEFT JOIN pg_stats s ON s.tablename = 'claim' AND s.attname = 'draft_vector' AND s.schemaname = current_schema()
     WHERE c.relname = 'claim' AND c.relnamespace = current_schema()::regnamespace LIMIT 1`,
  );
  const share = new Map<string, number>();
  const { elems, freqs } = rows[0] ?? { elems: null, freqs: null };
  // most_common_elem_freqs ends with three statistics of its own (min, max, nulls): only the first elems.length are per lexeme.
  elems?.forEach((e, i) => share.set(e, Number(freqs?.[i] ?? 0)));
  const value = { claims: Number(rows[0]?.claims ?? 0), share };
  frequencyCache.set(db, { at: Date.now(), value });
  return value;
}

export type Candidate = { i: number; id: string; lexemes: string[] };

const CHUNK = 125;

/**
 * For each sentence's query (null: none), at most `limit` claims that share
 * two of its lexemes (the query's pairs are rare enough that few do; no
 * ranking, which would read every match's vector), through
 * cp_draft_candidates (migration 20261202140100). A long draft is asked in
 * chunks on two pooled connections at once.
 */
export async function candidates(db: Db, queries: (string | null)[], limit: number): Promise<Candidate[]> {
  const chunks: number[] = [];
  for (let k = 0; k < queries.length; k += CHUNK) if (queries.slice(k, k + CHUNK).some((q) => q !== null)) chunks.push(k);
  const found = await Promise.all(
    chunks.map((k) =>
      db.$queryRawUnsafe<Candidate[]>(
        `SELECT "i", "id"::text AS "id", "lexemes" FROM "cp_draft_candidates"($1::text[], $2::int)`,
        queries.slice(k, k + CHUNK),
        limit,
      ).then((rows) => rows.map((r) => ({ ...r, i: k + r.i - 1 }))),
    ),
  );
  return found.flat();
}

export type ClaimText = { assertionId: string | null; text: string; language: string | null; lexemes: string[] };

/** The statement and active quotes of each claim, each with the lexemes stored when it was written (draft_text). */
export async function claimTexts(db: Db, ids: string[]): Promise<Map<string, ClaimText[]>> {
  const out = new Map<string, ClaimText[]>();
  if (ids.length === 0) return out;
  const rows = await db.$queryRawUnsafe<{ claimId: string; assertionId: string | null; text: string; language: string | null; lexemes: string[] }[]>(
    `SELECT c."id"::text AS "claimId", NULL AS "assertionId", c."statement" AS "text", c."language", d."lexemes"
     FROM "claim" c JOIN "draft_text" d ON d."claim_id" = c."id" AND d."text_id" = c."id"
     WHERE c."id" = ANY($1::uuid[])
     UNION ALL
     SELECT a."claim_id"::text, a."id"::text, a."quote", coalesce(s."language", c."language"), d."lexemes"
     FROM "assertion" a JOIN "source" s ON s."id" = a."source_id" JOIN "claim" c ON c."id" = a."claim_id"
     JOIN "draft_text" d ON d."claim_id" = a."claim_id" AND d."text_id" = a."id"
     WHERE a."claim_id" = ANY($1::uuid[]) AND a."withdrawn_at" IS NULL`,
    ids,
  );
  for (const r of rows) out.set(r.claimId, [...(out.get(r.claimId) ?? []), { assertionId: r.assertionId, text: r.text, language: r.language, lexemes: r.lexemes }]);
  return out;
}

/** The parties that counter each claim with a claim of their own (PARTY basis, standing). */
export async function counteringParties(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const rows = await db.$queryRawUnsafe<{ claimId: string; partyId: string }[]>(
    `SELECT DISTINCT r."target_claim_id"::text AS "claimId", ra."party_id"::text AS "partyId"
     FROM "claim_relation" r
     JOIN "assertion" ra ON ra."id" = r."assertion_id" AND ra."withdrawn_at" IS NULL
     JOIN "claim" sc ON sc."id" = r."source_claim_id" AND sc."merged_into_id" IS NULL
     WHERE r."target_claim_id" = ANY($1::uuid[]) AND r."type" IN ('COUNTERS', 'CONTRADICTS') AND r."basis" = 'PARTY'`,
    ids,
  );
  for (const r of rows) out.set(r.claimId, [...(out.get(r.claimId) ?? []), r.partyId]);
  return out;
}

const partyCache = new WeakMap<Db, { fingerprint: string; index: PartyIndex }>();

/**
 * Every party's names, as an index kept in memory and rebuilt when a party
 * or an affiliation changes (a cheap fingerprint query tells).
 */
export async function partyIndex(db: Db): Promise<PartyIndex> {
  const stamp = await db.$queryRawUnsafe<{ fingerprint: string }[]>(
    `SELECT concat_ws(':', (SELECT count(*) FROM "party"), (SELECT max("updated_at") FROM "party"),
                           (SELECT count(*) FROM "affiliation"), (SELECT max("created_at") FROM "affiliation")) AS "fingerprint"`,
  );
  const fingerprint = stamp[0]?.fingerprint ?? '';
  const cached = partyCache.get(db);
  if (cached?.fingerprint === fingerprint) return cached.index;
  const [parties, affiliations] = await Promise.all([
    db.$queryRawUnsafe<{ id: string; slug: string; name: string; kind: PartyKind; aliases: string[] }[]>(
      `SELECT "id"::text AS "id", "slug", "name", "kind"::text AS "kind", "aliases" FROM "party"`,
    ),
    db.$queryRawUnsafe<{ personId: string; partyId: string }[]>(
      `SELECT "person_id"::text AS "personId", "party_id"::text AS "partyId" FROM "affiliation" ORDER BY "created_at", "id"`,
    ),
  ]);
  const byPerson = new Map<string, string[]>();
  for (const a of affiliations) byPerson.set(a.personId, [...(byPerson.get(a.personId) ?? []), a.partyId]);
  const index = new PartyIndex(parties, byPerson);
  partyCache.set(db, { fingerprint, index });
  return index;
}
