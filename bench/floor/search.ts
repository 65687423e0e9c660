/*
 * The searches' floor (GET /v1/claims?q=…). FIRST VERSION, a stand-in until
 * the search floor lands (issue 13, the search helper owns this file): it
 * answers through the service's own search functions over the floor's pool,
 * so the run goes end to end and the bodies match; it measures the service's
 * SQL without Express, not the best SQL.
 */
import type pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../src/generated/prisma/client';
import type { AppContext } from '../../src/http/context';
import { listClaimsQuery } from '../../src/modules/claims/schema';
import { listClaims } from '../../src/modules/claims/service';

let app: AppContext | undefined;

export async function searchFloor(pool: pg.Pool, url: URL): Promise<string> {
  app ??= { prisma: new PrismaClient({ adapter: new PrismaPg(pool) }) } as AppContext;
  const query = listClaimsQuery.parse(Object.fromEntries(url.searchParams));
  return JSON.stringify(await listClaims(app, query));
}
