import express from 'express';
import request from 'supertest';
import { createApp } from '../src/app';
import { keyCache } from '../src/http/key-cache';
import { keyCacheLookups } from '../src/modules/metrics/registry';
import { createLogger } from '../src/shared/logger';
import { startTestApp, type TestApp } from './helpers/app';

/*
 * An API key that authenticated is kept in memory while the audit chain's
 * head is unchanged, so that a journalist's repeated lookups do not each
 * look the key up again. Revoking it, through this instance or any other,
 * is a ledger write: the next request with it is refused everywhere.
 */

let t: TestApp;
/** A second instance on the same database, with caches of its own. */
let other: ReturnType<typeof request>;

const count = async (result: string) => ((await keyCacheLookups.get()).values.find((v) => v.labels.result === result)?.value ?? 0);

beforeAll(async () => {
  t = await startTestApp();
  other = request(express().use(createApp({ db: t.db, config: t.ctx.config, logger: createLogger('silent') })));
});
afterAll(() => t.close());

async function issue(role: string) {
  const admin = await t.as('ADMIN');
  const res = await admin.post('/v1/keys').send({ name: `cached key ${Date.now()} ${Math.random()}`, role });
  expect(res.status).toBe(201);
  return res.body as { id: string; key: string };
}

test('a key is looked up once while the ledger is unchanged', async () => {
  const { key } = await issue('READER');
  const get = () => other.get('/v1/parties').set('Authorization', `Bearer ${key}`);
  expect((await get()).status).toBe(200);
  const [hits, misses] = [await count('hit'), await count('miss')];
  const again = await get();
  expect(again.status).toBe(200);
  expect([await count('hit'), await count('miss')]).toEqual([hits + 1, misses]);
});

test('a key revoked through another instance is refused by this one at its next request', async () => {
  const issued = await issue('EDITOR');
  const get = () => other.get('/v1/parties').set('Authorization', `Bearer ${issued.key}`);
  expect((await get()).status).toBe(200);
  const hits = await count('hit');
  expect((await get()).status).toBe(200);
  expect(await count('hit')).toBe(hits + 1); // kept: the refusal below is not a fresh lookup by chance

  const admin = await t.as('ADMIN');
  expect((await admin.post(`/v1/keys/${issued.id}/revoke`)).status).toBe(200);
  const refused = await get();
  expect(refused.status).toBe(401);
  expect(refused.body).toMatchObject({ status: 401, detail: 'The API key is unknown or revoked' });
  const write = await other.post('/v1/parties').set('Authorization', `Bearer ${issued.key}`).send({ name: `After revoke ${Date.now()}`, kind: 'STATE' });
  expect(write.status).toBe(401);
});

test('a kept key is looked up again once it is older than the cache allows, even at the same head', async () => {
  const cache = keyCache(10, 40);
  let finds = 0;
  const find = async () => {
    finds += 1;
    return { revokedAt: finds > 1 ? new Date() : null, actor: { id: 'a', name: 'A', role: 'READER' as const } };
  };
  expect((await cache.lookup('h', '7', find))?.revokedAt).toBeNull();
  expect((await cache.lookup('h', '7', find))?.revokedAt).toBeNull();
  expect(finds).toBe(1);
  await new Promise((r) => setTimeout(r, 60));
  // Revoked by hand in the database: no new head, but the key is read again.
  expect((await cache.lookup('h', '7', find))?.revokedAt).toBeInstanceOf(Date);
  expect(finds).toBe(2);
  // Another head is another state of the ledger.
  await cache.lookup('h', '8', find);
  expect(finds).toBe(3);
});
