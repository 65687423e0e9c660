import { z } from 'zod';
import { InvalidInputError } from '../shared/errors';

export const limitSchema = z.coerce
  .number({ message: 'must be a whole number from 1 to 200' })
  .int('must be a whole number from 1 to 200')
  .min(1, 'must be a whole number from 1 to 200')
  .max(200, 'must be a whole number from 1 to 200')
  .default(50);

export const cursorSchema = z.string().max(512).regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor this API issued').optional();

export const pageQuery = { limit: limitSchema, cursor: cursorSchema };

export type Page<T> = { data: T[]; nextCursor: string | null };

/** Cursors are opaque to clients: the keyset values of the last row, encoded. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** Keyset shapes shared by several lists. */
export const keyset = {
  id: z.tuple([z.uuid()]),
  nameId: z.tuple([z.string().max(1000), z.uuid()]),
  seq: z.tuple([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]),
};

const INVALID = () =>
  new InvalidInputError('The cursor is not one this API issued', [{ path: 'cursor', message: 'invalid cursor' }]);

/**
 * The keyset values a cursor carries, checked against the shape the list
 * issued them in: a forged or foreign cursor is a 400, never a database error.
 */
export function decodeCursor<T extends z.ZodTuple>(cursor: string, shape: T): z.output<T> {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw INVALID();
  }
  const parsed = shape.safeParse(values);
  if (!parsed.success) throw INVALID();
  return parsed.data;
}

/** Takes `limit + 1` rows and turns them into a page with the cursor of its last row. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]): Page<T> {
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  const last = data[data.length - 1];
  return { data, nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}
