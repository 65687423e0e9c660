import type { Prisma } from '../../db/client';

/** What names each kind of row in a report: a party or actor by its name, a claim by its statement. */
const LABEL_COLUMN = { party: 'name', actor: 'name', claim: 'statement' } as const;

/** The labels of these rows by id; ids come from event rows, so any that is not a live row is simply absent. */
export async function labelsById(db: Prisma, table: keyof typeof LABEL_COLUMN, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRawUnsafe<{ id: string; label: string }[]>(
    `SELECT "id"::text AS "id", "${LABEL_COLUMN[table]}" AS "label" FROM "${table}" WHERE "id"::text = ANY($1::text[])`,
    ids,
  );
  return new Map(rows.map((r) => [r.id, r.label]));
}
