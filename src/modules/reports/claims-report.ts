import type { Prisma as PrismaNS } from '../../generated/prisma/client';
import type { AppContext } from '../../http/context';
import type { Reply } from '../../http/route';
import { presentDossier, relatedClaimIds, type Position } from '../claims/presenter';
import { dossierInclude, loadPositionSummaries } from '../claims/repository';
import { resolveFilterParty } from '../parties/repository';
import { presentReview, type PresentedReview } from '../reviews/presenter';
import { loadPublishedReviews } from '../reviews/repository';
import { csvRow } from './csv';
import { html, PAGE_END, pageStart, raw } from './html';
import type { ClaimsReportQuery } from './schema';
import { CONTENT_TYPES, reportFilename, streamReport, type ReportFormat, type ReportWriter } from './stream';

const BATCH = 100;

type Dossier = ReturnType<typeof presentDossier>;
type Meta = { generatedAt: string; filters: Record<string, string | null> };

const who = (p: Position) => (p.speaker ? `${p.party.name} (${p.speaker.name})` : p.party.name);
const verdict = (r: PresentedReview) => `${r.reviewer.name}: ${r.rating} “${r.ratingLabel}”`;
const link = (l: Dossier['counterClaims'][number]) =>
  `${l.direction === 'incoming' ? `${l.relation} by` : `${l.relation}`} “${l.claim.statement}”${l.by ? ` (${l.by.name})` : ' (editorial)'}`;

const COLUMNS = ['claim_id', 'statement', 'topics', 'contestation', 'affirms', 'denies', 'questions', 'retracts', 'counter_claims', 'verdicts', 'attributed_summary'];

const LAYOUTS: Record<ReportFormat, { start(m: Meta): string; claim(d: Dossier, first: boolean): string; end(count: number): string }> = {
  json: {
    start: (m) => `{"report":"claims","generatedAt":${JSON.stringify(m.generatedAt)},"filters":${JSON.stringify(m.filters)},"claims":[`,
    claim: (d, first) => {
      const { history: _h, ...shown } = d;
      return (first ? '' : ',') + JSON.stringify(shown);
    },
    end: (count) => `],"count":${count}}\n`,
  },
  csv: {
    start: () => csvRow(COLUMNS),
    claim: (d) =>
      csvRow([
        d.id,
        d.statement,
        d.topics.join('; '),
        d.contestation,
        ...(['affirms', 'denies', 'questions', 'retracts'] as const).map((k) => d.positions[k].map(who).join('; ')),
        d.counterClaims.map(link).join('; '),
        (d.reviews as PresentedReview[]).map(verdict).join('; '),
        d.attributedSummary,
      ]),
    end: () => '',
  },
  html: {
    start: (m) =>
      pageStart('Claims report') +
      html`<p>Generated ${m.generatedAt}. ${Object.entries(m.filters).filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`).join(', ') || 'All claims'}.</p>\n`,
    claim: (d) => {
      const positions = (['affirms', 'denies', 'questions', 'retracts'] as const).flatMap((k) =>
        d.positions[k].map((p) => html`<li><strong>${who(p)}</strong> ${k}: “${p.quote}” — ${p.source.title}${p.assertedAt ? `, ${p.assertedAt}` : ''}</li>`),
      );
      const counters = d.counterClaims.map((l) => html`<li>${link(l)}</li>`);
      const verdicts = (d.reviews as PresentedReview[]).map((r) => html`<li>${verdict(r)} — ${r.summary} (by ${r.author.name})</li>`);
      return html`<section><h2>${d.statement}</h2>
<p>${d.attributedSummary}</p><p>Topics: ${d.topics.join(', ') || '—'} · ${d.contestation}</p>
<h3>Positions</h3><ul>${raw(positions.join(''))}</ul>
${raw(counters.length ? html`<h3>Counter-claims</h3><ul>${raw(counters.join(''))}</ul>` : '')}
${raw(verdicts.length ? html`<h3>Published verdicts</h3><ul>${raw(verdicts.join(''))}</ul>` : '')}
</section>
`;
    },
    end: (count) => html`<p>${count} claims.</p>` + PAGE_END,
  },
};

/** Claims whose parties spoke in the period (when the words were said, else when recorded). */
function claimFilter(q: ClaimsReportQuery, partyIds: string[] | undefined): PrismaNS.ClaimWhereInput {
  const range = { ...(q.from && { gte: q.from }), ...(q.to && { lte: q.to }) };
  const dated = q.from || q.to;
  const assertion: PrismaNS.AssertionWhereInput = {
    withdrawnAt: null,
    ...(partyIds && { partyId: { in: partyIds } }),
    ...(dated && { OR: [{ assertedAt: range }, { assertedAt: null, createdAt: range }] }),
  };
  return {
    mergedIntoId: null,
    ...(q.topic && { topics: { has: q.topic } }),
    ...((partyIds || dated) && { assertions: { some: assertion } }),
  };
}

async function produce(app: AppContext, q: ClaimsReportQuery, meta: Meta, partyIds: string[] | undefined, out: ReportWriter) {
  const layout = LAYOUTS[q.format];
  out.push(layout.start(meta));
  await out.flush();
  let count = 0;
  let after: string | undefined;
  for (;;) {
    const rows = await app.prisma.claim.findMany({
      where: { ...claimFilter(q, partyIds), ...(after && { id: { gt: after } }) },
      include: dossierInclude,
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    const [summaries, reviews] = await Promise.all([
      loadPositionSummaries(app.prisma, rows.flatMap(relatedClaimIds)),
      loadPublishedReviews(app.prisma, rows.map((r) => r.id)),
    ]);
    for (const row of rows) {
      const dossier = presentDossier(row, summaries, reviews.filter((r) => r.claimId === row.id).map((r) => presentReview(r, row.statement)));
      out.push(layout.claim(dossier, count === 0));
      count += 1;
    }
    await out.flush();
  }
  out.push(layout.end(count));
}

export async function claimsReport(app: AppContext, q: ClaimsReportQuery): Promise<Reply> {
  // An unknown party is a 422 naming the closest ones before the report starts, not an empty report.
  const partyIds = q.party ? await resolveFilterParty(app.prisma, q.party, 'party') : undefined;
  const meta: Meta = {
    generatedAt: new Date().toISOString(),
    filters: { topic: q.topic ?? null, party: q.party ?? null, from: q.from?.toISOString() ?? null, to: q.to?.toISOString() ?? null },
  };
  return {
    headers: { 'Content-Type': CONTENT_TYPES[q.format], ...(q.format === 'csv' && { 'Content-Disposition': reportFilename('claims-report', 'csv') }) },
    stream: (res) => streamReport(res, (out) => produce(app, q, meta, partyIds, out)),
  };
}
