import type { Role } from '../generated/prisma/enums';

/** Named permissions; each route names the one it needs. Roles are cumulative. */
export const PERMISSIONS = {
  read: 'READER',
  'parties:write': 'EDITOR',
  'sources:write': 'EDITOR',
  'claims:write': 'EDITOR',
  'reviews:write': 'REVIEWER',
  'keys:manage': 'ADMIN',
  'audit:read': 'ADMIN',
  'settings:manage': 'ADMIN',
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

const RANK: Record<Role, number> = { READER: 1, EDITOR: 2, REVIEWER: 3, ADMIN: 4 };

export function roleAllows(role: Role, permission: Permission): boolean {
  return RANK[role] >= RANK[PERMISSIONS[permission]];
}
