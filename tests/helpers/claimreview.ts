import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Role } from '../../src/generated/prisma/enums';
import type { TestApp } from './app';

/** A ClaimReview example from fixtures/claimreview. */
export const claimReviewFixture = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/claimreview', name), 'utf8');

/** POSTs a document to the import as it would come: raw text with its media type. */
export async function postClaimReview(t: TestApp, body: string, contentType: string, query = '', role: Role = 'REVIEWER') {
  return t.http
    .post(`/v1/imports/claimreview${query}`)
    .set('Authorization', `Bearer ${await t.keyFor(role)}`)
    .set('Content-Type', contentType)
    .send(body);
}

export const auditHead = async (t: TestApp) => (await (await t.as('ADMIN')).get('/v1/audit/head')).body;
