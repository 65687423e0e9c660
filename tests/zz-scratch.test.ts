import { startTestApp, type TestApp, ADMIN_KEY } from './helpers/app';
let t: TestApp; let key: string;
beforeAll(async () => { t = await startTestApp(); key = await t.keyFor('EDITOR'); });
afterAll(() => t.close());
const raw = (path: string, body: string | Buffer, ct = 'application/json') =>
  t.http.post(path).set('Authorization', `Bearer ${key}`).set('Content-Type', ct).serialize((x: any) => x).send(body as any);
test('probe', async () => {
  const show = (n: string, r: any) => console.log(n, r.status, r.headers['content-type'], r.text.slice(0, 300));
  show('invalid utf8', await raw('/v1/parties', Buffer.concat([Buffer.from('{"name":"x'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('y","kind":"STATE"}')])));
  show('invalid utf8 2', await raw('/v1/parties', Buffer.concat([Buffer.from('{"name":"x'), Buffer.from([0xff]), Buffer.from('y","kind":"STATE"}')])));
  show('bom', await raw('/v1/parties', Buffer.concat([Buffer.from([0xef,0xbb,0xbf]), Buffer.from('{"name":"bom","kind":"STATE"}')])));
  show('utf16', await raw('/v1/parties', Buffer.from('{"name":"u16","kind":"STATE"}', 'utf16le'), 'application/json; charset=utf-16'));
  const r = await t.db.sql.query('select count(*)::int as n, pg_typeof(count(*)) from party');
  console.log(r);
  try { await t.db.sql.query('UPDATE audit_event SET action = $1 WHERE seq = 1', ['x']); } catch (e: any) { console.log('upd', e.code, e.message, Object.keys(e)); }
  try { await t.db.sql.exec('TRUNCATE audit_event'); } catch (e: any) { console.log('trunc', e.code, e.message); }
  try { await t.db.prisma.auditEvent.deleteMany({}); } catch (e: any) { console.log('prisma del', e.code, e.message.slice(0,200)); }
  await t.db.sql.exec(`SET session_replication_role = replica; UPDATE audit_event SET after = '{"x":1}' WHERE seq = 1; SET session_replication_role = DEFAULT;`);
  show('verify', await t.http.get('/v1/audit/verify').set('Authorization', `Bearer ${ADMIN_KEY}`));
  console.log(await t.db.sql.query('select seq, after from audit_event order by seq'));
  const t0 = Date.now();
  const rs = await Promise.all(Array.from({ length: 50 }, (_, i) => raw('/v1/parties', JSON.stringify({ name: `conc ${i}`, kind: 'STATE' })).set('X-Request-Id', `req-${i}`)));
  console.log('conc', rs.map((r) => r.status).join(','), Date.now() - t0);
});
