import { createHash } from 'node:crypto';
import { PreconditionRequiredError } from '../shared/errors';

export function etagFor(version: number): string {
  return `"v${version}"`;
}

/**
 * The version a PATCH expects, from its If-Match header: a number, or
 * `undefined` for `*` (any version). Without the header the PATCH is refused
 * (428): an editor must say which version they edited.
 */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new PreconditionRequiredError('This update needs an If-Match header with the ETag you last read');
  }
  const value = ifMatch.trim();
  if (value === '*') return undefined;
  const m = /^"v(\d{1,9})"$/.exec(value);
  // An ETag this API never issued cannot match any version: 412, not 400.
  return m?.[1] ? Number(m[1]) : Number.NaN;
}

/** For resources without a version column: a strong ETag from the representation itself. */
export function contentEtag(body: unknown): string {
  return `"c${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22)}"`;
}
