import express from 'express';
import request from 'supertest';
import { createApp } from '../../src/app';
import type { Config } from '../../src/config/config';
import type { Database } from '../../src/db/client';
import type { Role } from '../../src/generated/prisma/enums';
import type { AppContext } from '../../src/http/context';
import { ensureAdminKey } from '../../src/modules/keys/service';
import { createLogger } from '../../src/shared/logger';
import { contractCheck } from './contract';
import { createTestDatabase } from './test-db';

export const ADMIN_KEY = 'test-admin-key-000000000000000000000001';
/** A fixed checkpoint signing key, so tests can check signatures against a known public key. */
export const AUDIT_SIGNING_KEY = 'PRIVATE+KEY+counterpoint.test/audit+41c25cac+AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    env: 'test',
    port: 0,
    host: '127.0.0.1',
    dataDir: '.data/test',
    poolSize: 20,
    poolWaitMs: 3000,
    statementTimeoutMs: 5000,
    lockTimeoutMs: 3000,
    adminApiKey: ADMIN_KEY,
    publicRead: false,
    logLevel: 'silent',
    shutdownTimeoutMs: 1000,
    rateLimitPerMinute: 0,
    auditSigningKey: AUDIT_SIGNING_KEY,
    addressRateLimitPerMinute: 0,
    trustProxy: false,
    replicaUrls: [],
    replicaMaxLagMs: 5000,
    readYourWritesMs: 10_000,
    readCacheMb: 16,
    publicUrl: 'https://claims.example.test',
    ...overrides,
  };
}

export type Client = {
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  patch(path: string, body: unknown, ifMatch?: string): request.Test;
  delete(path: string): request.Test;
};

export type TestApp = {
  db: Database;
  /** The database's URL when it is a PostgreSQL server (a child process can use it too). */
  url?: string;
  ctx: AppContext;
  http: ReturnType<typeof request>;
  /** A client with a key of that role (made once per file). */
  as(role: Role): Promise<Client>;
  anonymous: Client;
  keyFor(role: Role): Promise<string>;
  close(): Promise<void>;
};

function client(http: ReturnType<typeof request>, key?: string): Client {
  const auth = (t: request.Test) => (key ? t.set('Authorization', `Bearer ${key}`) : t);
  return {
    get: (path) => auth(http.get(path)),
    post: (path, body) => auth(body === undefined ? http.post(path) : http.post(path).send(body as object)),
    patch: (path, body, ifMatch) => {
      const t = auth(http.patch(path).send(body as object));
      return ifMatch ? t.set('If-Match', ifMatch) : t;
    },
    delete: (path) => auth(http.delete(path)),
  };
}

/** A migrated, empty database of its own, the app on top, and an ADMIN key. */
export async function startTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const testDb = await createTestDatabase(config);
  const logger = createLogger('silent');
  const ctx: AppContext = { prisma: testDb.db.prisma, config, logger };
  await ensureAdminKey(ctx, ADMIN_KEY);
  // Every request and answer through the harness is checked against the OpenAPI document (contract.ts).
  const http = request(express().use(contractCheck).use(createApp({ db: testDb.db, config, logger })));
  const keys = new Map<Role, string>([['ADMIN', ADMIN_KEY]]);
  const keyFor = async (role: Role) => {
    let key = keys.get(role);
    if (!key) {
      const res = await http.post('/v1/keys').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ name: `test ${role}`, role });
      if (res.status !== 201) throw new Error(`could not issue a ${role} key: ${res.status} ${res.text}`);
      key = res.body.key as string;
      keys.set(role, key);
    }
    return key;
  };
  return {
    db: testDb.db,
    url: testDb.url,
    ctx,
    http,
    keyFor,
    as: async (role) => client(http, await keyFor(role)),
    anonymous: client(http),
    close: () => testDb.drop(),
  };
}
