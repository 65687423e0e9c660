import { startTestApp, type TestApp } from './helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('GET /v1/me', () => {
  test.each(['READER', 'EDITOR', 'REVIEWER', 'ADMIN'] as const)('names the actor and role of a %s key', async (role) => {
    const res = await (await t.as(role)).get('/v1/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ actorId: expect.any(String), name: role === 'ADMIN' ? expect.any(String) : `test ${role}`, role });
  });

  test('needs a key', async () => {
    const res = await t.anonymous.get('/v1/me');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
