import type { Caller } from '../../http/context';
import { roleAllows } from '../../http/permissions';
import type { ReviewStatus } from '../../generated/prisma/enums';

/** Drafts are internal to the desk: below REVIEWER, only published and withdrawn reviews exist. */
export function mayReadDrafts(caller: Caller): boolean {
  return caller.actor !== null && roleAllows(caller.actor.role, 'reviews:write');
}

export const DRAFT_STATUSES: ReviewStatus[] = ['DRAFT', 'IN_REVIEW'];
