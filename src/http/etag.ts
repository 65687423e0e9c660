import { createHash } from 'node:crypto';
import { PreconditionFailedError, PreconditionRequiredError } from '../shared/errors';

/**
 * A strong ETag from the representation itself: whatever the answer shows
 * (related claims, party names, verdicts of merged duplicates…) is covered,
 * so a changed answer never gets a 304.
 */
export function contentEtag(body: unknown): string {
  return jsonEtag(JSON.stringify(body));
}

/** The same ETag, from the representation already written as JSON. */
export function jsonEtag(json: string): string {
  return `"c${createHash('sha256').update(json).digest('base64url').slice(0, 22)}"`;
}

/** What a PATCH's If-Match asks for: the ETags it names, or `any` for `*`. */
export type IfMatch = { any: true } | { any: false; tags: string[] };

/**
 * The If-Match header of a PATCH. Without it the PATCH is refused (428): an
 * editor must say which representation they edited.
 */
export function ifMatchOf(header: string | undefined): IfMatch {
  if (header === undefined || header.trim() === '') {
    throw new PreconditionRequiredError('This update needs an If-Match header with the ETag you last read');
  }
  const value = header.trim();
  if (value === '*') return { any: true };
  return { any: false, tags: value.split(',').map((t) => t.trim()).filter(Boolean) };
}

/**
 * Refuses (412) a PATCH whose If-Match does not name the ETag of the current
 * representation — computed under the row lock, from the same presenter a GET uses.
 */
export function requireCurrent(ifMatch: IfMatch, current: unknown, what: string): void {
  if (ifMatch.any) return;
  if (!ifMatch.tags.includes(contentEtag(current))) {
    throw new PreconditionFailedError(`The ${what} has changed since you read it: GET it again and apply your change to what it shows now`);
  }
}
