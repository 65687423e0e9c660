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

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return values;
    }
  } catch {
    // fall through
  }
  throw new InvalidInputError('The cursor is not one this API issued', [{ path: 'cursor', message: 'invalid cursor' }]);
}

/** Takes `limit + 1` rows and turns them into a page with the cursor of its last row. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]): Page<T> {
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  const last = data[data.length - 1];
  return { data, nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}
