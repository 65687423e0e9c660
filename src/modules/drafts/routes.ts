import { defineRoute } from '../../http/route';
import { draftChecks } from '../metrics/registry';
import { checkDraftBody, draftCheckOut } from './schema';
import { checkDraft } from './service';

export const draftRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/drafts/check',
    summary: 'Check a draft: where it states as fact what the ledger records as one party’s position (writes nothing)',
    tag: 'drafts',
    access: { permission: 'read' },
    body: checkDraftBody,
    success: { status: 200, body: draftCheckOut },
    handler: async ({ body }, app) => {
      const result = await checkDraft(app, body);
      draftChecks.inc();
      return { body: result };
    },
  }),
];
