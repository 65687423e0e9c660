import { startTestApp, type Client, type TestApp } from './helpers/app';
import { makeClaim, makeParty, makeSource } from './helpers/factories';

/*
 * Reviews over HTTP (SPEC §1.6, §3.2): drafting, reading with an ETag,
 * editing with If-Match while editable, the whole transition matrix, the
 * second pair of eyes for publishing and the setting that lifts it, the
 * dossier's published verdicts, and one audit event per write.
 */

type Status = 'DRAFT' | 'IN_REVIEW' | 'PUBLISHED' | 'WITHDRAWN';
const STATUSES: Status[] = ['DRAFT', 'IN_REVIEW', 'PUBLISHED', 'WITHDRAWN'];
const ALLOWED: Record<Status, Status[]> = {
  DRAFT: ['IN_REVIEW'],
  IN_REVIEW: ['PUBLISHED', 'DRAFT'],
  PUBLISHED: ['WITHDRAWN'],
  WITHDRAWN: [],
};

let t: TestApp;
let reviewer: Client;
let secondReviewer: Client;
let admin: Client;
let reader: Client;
let editor: Client;
let newsroom: { id: string; slug: string; name: string };
let claimId: string;

async function issueKey(name: string, role: string): Promise<Client> {
  const res = await admin.post('/v1/keys', { name, role });
  expect(res.status).toBe(201);
  const key = res.body.key as string;
  return {
    get: (p) => t.http.get(p).set('Authorization', `Bearer ${key}`),
    post: (p, b) => t.http.post(p).set('Authorization', `Bearer ${key}`).send((b ?? {}) as object),
    patch: (p, b, m) => {
      const r = t.http.patch(p).set('Authorization', `Bearer ${key}`).send(b as object);
      return m ? r.set('If-Match', m) : r;
    },
    delete: (p) => t.http.delete(p).set('Authorization', `Bearer ${key}`),
  };
}

const body = (extra: Record<string, unknown> = {}) => ({
  reviewerId: newsroom.id,
  rating: 'MOSTLY_UNSUPPORTED',
  ratingLabel: 'Çoğunlukla yanlış',
  summary: 'The ceasefire monitors report a handful of incidents, not regular violations.',
  evidence: [{ url: 'https://example.org/monitor-report', relation: 'REFUTES', note: 'UN monitor weekly report' }],
  ...extra,
});

async function draft(by: Client = reviewer, claim = claimId, extra: Record<string, unknown> = {}) {
  const res = await by.post(`/v1/claims/${claim}/reviews`, body(extra));
  expect(res.status).toBe(201);
  return res.body as { id: string; version: number; status: Status };
}

async function move(id: string, to: Status, by: Client = secondReviewer, reason?: string) {
  return by.post(`/v1/reviews/${id}/transitions`, { to, ...(reason && { reason }) });
}

/** A review brought to `status` by the legal path (the second reviewer publishes). */
async function reviewIn(status: Status, claim = claimId) {
  const r = await draft(reviewer, claim);
  const path: Status[] = { DRAFT: [], IN_REVIEW: ['IN_REVIEW'], PUBLISHED: ['IN_REVIEW', 'PUBLISHED'], WITHDRAWN: ['IN_REVIEW', 'PUBLISHED', 'WITHDRAWN'] }[status] as Status[];
  for (const to of path) expect((await move(r.id, to, secondReviewer, 'superseded by a new review')).status).toBe(200);
  return r.id;
}

async function auditSince(seq: number) {
  return t.db.sql.query<{ action: string; entity_id: string; actor_id: string }>('SELECT action, entity_id, actor_id FROM audit_event WHERE seq > $1 ORDER BY seq', [seq]);
}
async function headSeq(): Promise<number> {
  return (await admin.get('/v1/audit/head')).body.seq;
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.as('ADMIN');
  reader = await t.as('READER');
  editor = await t.as('EDITOR');
  reviewer = await issueKey('Ayşe Reviewer', 'REVIEWER');
  secondReviewer = await issueKey('Second Reviewer', 'REVIEWER');
  newsroom = await makeParty(t, { name: 'Teyit', kind: 'MEDIA' });
  claimId = (await makeClaim(t)).id;
});
afterAll(() => t.close());

describe('drafting a review', () => {
  it('creates a DRAFT attributed to the reviewer party and the calling actor, keeping the rating label as written', async () => {
    const seq = await headSeq();
    const res = await reviewer.post(`/v1/claims/${claimId}/reviews`, body());
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/reviews/${res.body.id}`);
    expect(res.headers.etag).toMatch(/^"c[\w-]{22}"$/);
    expect(res.body).toMatchObject({
      claimId,
      status: 'DRAFT',
      rating: 'MOSTLY_UNSUPPORTED',
      ratingLabel: 'Çoğunlukla yanlış',
      reviewer: { id: newsroom.id, name: 'Teyit' },
      author: { name: 'Ayşe Reviewer' },
      evidence: [{ url: 'https://example.org/monitor-report', relation: 'REFUTES', note: 'UN monitor weekly report', sourceId: null }],
      published: null,
      withdrawn: null,
    });
    const events = await auditSince(seq);
    expect(events.map((e) => e.action)).toEqual(['review.create', 'review_contributor.create', 'review_evidence.create']);
    expect(events[0]!.entity_id).toBe(res.body.id);
  });

  it('takes evidence from a recorded source and names it', async () => {
    const source = await makeSource(t, { title: 'Monitor report', url: 'https://example.org/report-1' });
    const res = await reviewer.post(`/v1/claims/${claimId}/reviews`, body({ evidence: [{ sourceId: source.id, relation: 'CONTEXT' }] }));
    expect(res.status).toBe(201);
    expect(res.body.evidence).toEqual([{ sourceId: source.id, url: 'https://example.org/report-1', title: 'Monitor report', relation: 'CONTEXT', note: null }]);
  });

  it('refuses evidence with both or neither of sourceId and url (400), and unknown sources or parties (422)', async () => {
    const both = await reviewer.post(`/v1/claims/${claimId}/reviews`, body({ evidence: [{ sourceId: claimId, url: 'https://x.org', relation: 'SUPPORTS' }] }));
    expect(both.status).toBe(400);
    const neither = await reviewer.post(`/v1/claims/${claimId}/reviews`, body({ evidence: [{ relation: 'SUPPORTS' }] }));
    expect(neither.status).toBe(400);
    const unknownSource = await reviewer.post(`/v1/claims/${claimId}/reviews`, body({ evidence: [{ sourceId: '019a0000-0000-7000-8000-000000000000', relation: 'SUPPORTS' }] }));
    expect(unknownSource.status).toBe(422);
    expect(unknownSource.body.errors[0].path).toBe('evidence.0.sourceId');
    const unknownParty = await reviewer.post(`/v1/claims/${claimId}/reviews`, body({ reviewerId: 'no-such-newsroom' }));
    expect(unknownParty.status).toBe(422);
    const badRating = await reviewer.post(`/v1/claims/${claimId}/reviews`, body({ rating: 'FALSE' }));
    expect(badRating.status).toBe(400);
    const extra = await reviewer.post(`/v1/claims/${claimId}/reviews`, body({ status: 'PUBLISHED' }));
    expect(extra.status).toBe(400);
  });

  it('answers 404 for an unknown claim', async () => {
    const res = await reviewer.post('/v1/claims/019a0000-0000-7000-8000-000000000000/reviews', body());
    expect(res.status).toBe(404);
  });

  it('is refused to READER and EDITOR (403) and allowed to ADMIN', async () => {
    expect((await reader.post(`/v1/claims/${claimId}/reviews`, body())).status).toBe(403);
    expect((await editor.post(`/v1/claims/${claimId}/reviews`, body())).status).toBe(403);
    expect((await admin.post(`/v1/claims/${claimId}/reviews`, body())).status).toBe(201);
  });
});

describe('reading and editing a review', () => {
  it('answers the review with its ETag and 304 on If-None-Match', async () => {
    const r = await draft();
    const res = await reviewer.get(`/v1/reviews/${r.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toMatch(/^"c[\w-]{22}"$/);
    const again = await reviewer.get(`/v1/reviews/${r.id}`).set('If-None-Match', res.headers.etag as string);
    expect(again.status).toBe(304);
  });

  it('hides drafts from roles below REVIEWER but shows them published reviews', async () => {
    const d = await draft();
    expect((await reader.get(`/v1/reviews/${d.id}`)).status).toBe(404);
    expect((await editor.get(`/v1/reviews/${d.id}`)).status).toBe(404);
    const published = await reviewIn('PUBLISHED');
    expect((await reader.get(`/v1/reviews/${published}`)).status).toBe(200);
  });

  it('needs If-Match (428), refuses a stale one (412) and bumps the version', async () => {
    const r = await draft();
    expect((await reviewer.patch(`/v1/reviews/${r.id}`, { summary: 'x' })).status).toBe(428);
    expect((await reviewer.patch(`/v1/reviews/${r.id}`, { summary: 'x' }, '"v9"')).status).toBe(412);
    const read = (await reviewer.get(`/v1/reviews/${r.id}`)).headers.etag as string;
    const seq = await headSeq();
    const ok = await reviewer.patch(`/v1/reviews/${r.id}`, { rating: 'UNSUPPORTED', ratingLabel: 'False', evidence: [] }, read);
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe((await reviewer.get(`/v1/reviews/${r.id}`)).headers.etag);
    expect(ok.body).toMatchObject({ rating: 'UNSUPPORTED', ratingLabel: 'False', evidence: [], version: 2 });
    // The review's new state, and the evidence row the edit removed.
    expect((await auditSince(seq)).map((e) => e.action)).toEqual(['review.update', 'review_evidence.delete']);
    expect((await reviewer.patch(`/v1/reviews/${r.id}`, { summary: 'y' }, read)).status).toBe(412);
  });

  it('lets a review in review be edited, but not a published or withdrawn one (409)', async () => {
    const inReview = await reviewIn('IN_REVIEW');
    expect((await reviewer.patch(`/v1/reviews/${inReview}`, { summary: 'tightened' }, '*')).status).toBe(200);
    for (const status of ['PUBLISHED', 'WITHDRAWN'] as const) {
      const id = await reviewIn(status);
      const res = await reviewer.patch(`/v1/reviews/${id}`, { summary: 'rewritten' }, '*');
      expect(res.status).toBe(409);
      expect(res.body.type).toBe('/problems/review-not-editable');
    }
  });

  it('refuses an empty PATCH and unknown fields (400)', async () => {
    const r = await draft();
    expect((await reviewer.patch(`/v1/reviews/${r.id}`, {}, '*')).status).toBe(400);
    expect((await reviewer.patch(`/v1/reviews/${r.id}`, { status: 'PUBLISHED' }, '*')).status).toBe(400);
  });
});

describe('the transition matrix', () => {
  for (const from of STATUSES) {
    for (const to of STATUSES) {
      const legal = ALLOWED[from].includes(to);
      it(`${from} → ${to} is ${legal ? 'allowed' : 'refused with 409 listing the allowed moves'}`, async () => {
        const id = await reviewIn(from);
        const seq = await headSeq();
        const res = await move(id, to, secondReviewer, 'a reason');
        if (legal) {
          expect(res.status).toBe(200);
          expect(res.body.status).toBe(to);
          // Publishing and withdrawing change the dossier, so the claim's version (its ETag) moves too.
          const dossierChanged = to === 'PUBLISHED' || to === 'WITHDRAWN';
          expect((await auditSince(seq)).map((e) => e.action)).toEqual(['review.transition', ...(dossierChanged ? ['claim.update'] : [])]);
        } else {
          expect(res.status).toBe(409);
          expect(res.body).toMatchObject({ type: '/problems/illegal-transition', from, to, allowed: ALLOWED[from] });
          expect(await auditSince(seq)).toEqual([]);
        }
      });
    }
  }

  it('refuses an unknown target status (400)', async () => {
    const id = await reviewIn('DRAFT');
    expect((await move(id, 'APPROVED' as Status)).status).toBe(400);
  });

  it('is refused to READER and EDITOR (403) and allowed to ADMIN', async () => {
    const id = await reviewIn('DRAFT');
    expect((await move(id, 'IN_REVIEW', reader)).status).toBe(403);
    expect((await move(id, 'IN_REVIEW', editor)).status).toBe(403);
    expect((await move(id, 'IN_REVIEW', admin)).status).toBe(200);
    expect((await move(id, 'PUBLISHED', admin)).status).toBe(200);
  });

  it('needs a reason to withdraw (422) and keeps the withdrawal in the review', async () => {
    const id = await reviewIn('PUBLISHED');
    const none = await move(id, 'WITHDRAWN');
    expect(none.status).toBe(422);
    expect(none.body.errors[0].path).toBe('reason');
    const blank = await secondReviewer.post(`/v1/reviews/${id}/transitions`, { to: 'WITHDRAWN', reason: '   ' });
    expect(blank.status).toBe(400);
    const ok = await move(id, 'WITHDRAWN', reviewer, 'the monitors corrected their report');
    expect(ok.status).toBe(200);
    expect(ok.body.withdrawn).toMatchObject({ reason: 'the monitors corrected their report', by: { name: 'Ayşe Reviewer' } });
    expect(ok.body.published.by.name).toBe('Second Reviewer');
  });

  it('answers 404 for an unknown review', async () => {
    expect((await move('019a0000-0000-7000-8000-000000000000', 'IN_REVIEW')).status).toBe(404);
  });
});

describe('a second pair of eyes', () => {
  it('refuses publishing by the review’s own author (403), allows it by someone else', async () => {
    const r = await draft(reviewer);
    expect((await move(r.id, 'IN_REVIEW', reviewer)).status).toBe(200);
    const own = await move(r.id, 'PUBLISHED', reviewer);
    expect(own.status).toBe(403);
    expect(own.body.rule).toBe('second-pair-of-eyes');
    expect((await reviewer.get(`/v1/reviews/${r.id}`)).body.status).toBe('IN_REVIEW');
    expect((await move(r.id, 'PUBLISHED', secondReviewer)).status).toBe(200);
  });

  it('allows one-person publishing once an ADMIN turns allowSelfPublish on (audited), and refuses again when off', async () => {
    expect((await admin.get('/v1/settings')).body).toEqual({ allowSelfPublish: false });
    expect((await reviewer.post('/v1/settings', {})).status).toBe(404);
    const denied = await t.http.put('/v1/settings').set('Authorization', `Bearer ${await t.keyFor('REVIEWER')}`).send({ allowSelfPublish: true });
    expect(denied.status).toBe(403);
    const seq = await headSeq();
    const on = await t.http.put('/v1/settings').set('Authorization', `Bearer ${await t.keyFor('ADMIN')}`).send({ allowSelfPublish: true });
    expect(on.status).toBe(200);
    expect(on.body).toEqual({ allowSelfPublish: true });
    expect((await auditSince(seq)).map((e) => e.action)).toEqual(['settings.update']);

    const r = await draft(reviewer);
    expect((await move(r.id, 'IN_REVIEW', reviewer)).status).toBe(200);
    expect((await move(r.id, 'PUBLISHED', reviewer)).status).toBe(200);

    const off = await t.http.put('/v1/settings').set('Authorization', `Bearer ${await t.keyFor('ADMIN')}`).send({ allowSelfPublish: false });
    expect(off.status).toBe(200);
    const again = await draft(reviewer);
    expect((await move(again.id, 'IN_REVIEW', reviewer)).status).toBe(200);
    expect((await move(again.id, 'PUBLISHED', reviewer)).status).toBe(403);
  });

  it('refuses a settings body that is incomplete or has unknown fields (400)', async () => {
    const key = await t.keyFor('ADMIN');
    expect((await t.http.put('/v1/settings').set('Authorization', `Bearer ${key}`).send({})).status).toBe(400);
    expect((await t.http.put('/v1/settings').set('Authorization', `Bearer ${key}`).send({ allowSelfPublish: true, x: 1 })).status).toBe(400);
  });
});

describe('reviews in the claim dossier', () => {
  it('shows only published reviews, several side by side, each attributed, without replacing positions', async () => {
    const claim = await makeClaim(t);
    const other = await makeParty(t, { name: 'Second Newsroom', kind: 'MEDIA' });
    const before = await reader.get(`/v1/claims/${claim.id}`);
    expect(before.body.reviews).toEqual([]);

    const first = await reviewIn('PUBLISHED', claim.id);
    const second = await draft(reviewer, claim.id, { reviewerId: other.slug, rating: 'DISPUTED', ratingLabel: 'Tartışmalı' });
    await move(second.id, 'IN_REVIEW');
    await move(second.id, 'PUBLISHED');
    await reviewIn('DRAFT', claim.id);
    await reviewIn('WITHDRAWN', claim.id);

    const dossier = await reader.get(`/v1/claims/${claim.id}`);
    expect(dossier.status).toBe(200);
    expect(dossier.headers.etag).not.toBe(before.headers.etag);
    expect(dossier.body.reviews.map((r: { id: string }) => r.id)).toEqual([first, second.id]);
    expect(dossier.body.reviews[1]).toMatchObject({
      status: 'PUBLISHED',
      rating: 'DISPUTED',
      ratingLabel: 'Tartışmalı',
      reviewer: { id: other.id, name: 'Second Newsroom' },
      author: { name: 'Ayşe Reviewer' },
    });
    expect(dossier.body.positions.affirms).toHaveLength(1);
  });

  it('drops a review from the dossier once withdrawn, and changes the dossier ETag', async () => {
    const claim = await makeClaim(t);
    const id = await reviewIn('PUBLISHED', claim.id);
    const shown = await reader.get(`/v1/claims/${claim.id}`);
    expect(shown.body.reviews).toHaveLength(1);
    await move(id, 'WITHDRAWN', secondReviewer, 'wrong claim');
    const after = await reader.get(`/v1/claims/${claim.id}`).set('If-None-Match', shown.headers.etag!);
    expect(after.status).toBe(200);
    expect(after.body.reviews).toEqual([]);
    expect((await reader.get(`/v1/reviews/${id}`)).body.status).toBe('WITHDRAWN');
  });
});

describe('database guards', () => {
  it('refuses to delete a review or to withdraw one without a reason, even bypassing the service', async () => {
    const id = await reviewIn('PUBLISHED');
    await expect(t.db.sql.query('DELETE FROM review WHERE id = $1', [id])).rejects.toThrow(/never deleted/);
    await expect(t.db.sql.query(`UPDATE review SET status = 'WITHDRAWN', withdrawn_at = now() WHERE id = $1`, [id])).rejects.toThrow(/review_withdrawal_reason/);
    await expect(t.db.sql.query(`UPDATE review SET summary = 'rewritten' WHERE id = $1`, [id])).rejects.toThrow(/not rewritten/);
  });
});
