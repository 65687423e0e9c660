import type { AppContext } from '../../http/context';
import type { Reply } from '../../http/route';
import { ChainVerifier, type Verification } from '../audit/chain';
import { signCheckpoint, auditSigner, type SignedCheckpoint } from '../audit/checkpoint';
import { reportEventsPage, type ActorNamedEvent } from '../audit/repository';
import { auditHead } from '../audit/service';
import { describeEvent, loadNames } from './audit-words';
import { csvRow } from './csv';
import { html, PAGE_END, pageStart, raw } from './html';
import type { AuditReportQuery } from './schema';
import { CONTENT_TYPES, reportFilename, streamReport, type ReportFormat, type ReportWriter } from './stream';

const BATCH = 1000;

type Head = Awaited<ReturnType<typeof auditHead>>;
type Meta = { generatedAt: string; from: string | null; to: string | null; head: Head; checkpoint: SignedCheckpoint | null };
type ReportEvent = ActorNamedEvent & { words: string };

const COLUMNS = ['seq', 'at', 'actor_id', 'actor_name', 'action', 'entity_type', 'entity_id', 'request_id', 'hash', 'words'];
const cells = (e: ReportEvent) => [e.seq, e.at, e.actorId, e.actorName, e.action, e.entityType, e.entityId, e.requestId, e.hash, e.words];
const HTML_COLUMNS = ['Seq', 'When (UTC)', 'What happened', 'Action', 'Entity', 'Hash'];

/**
 * The JSON report is line-oriented so that it can be checked as a stream
 * (`npm run verify`): its first line opens it up to `"events":[`, each
 * event is one line (after the first, led by a comma), and the last line
 * closes it with the verification. It is still one JSON document.
 */
const LAYOUTS: Record<ReportFormat, { start(m: Meta): string; event(e: ReportEvent, first: boolean): string; end(v: Verification, m: Meta): string }> = {
  json: {
    start: (m) =>
      `{"report":"audit","generatedAt":${JSON.stringify(m.generatedAt)},"from":${JSON.stringify(m.from)},"to":${JSON.stringify(m.to)},"head":${JSON.stringify(m.head)},"checkpoint":${JSON.stringify(m.checkpoint)},"events":[\n`,
    event: (e, first) =>
      (first ? '' : ',') +
      JSON.stringify({
        seq: e.seq, at: e.at, actorId: e.actorId, actor: e.actorId ? { id: e.actorId, name: e.actorName, role: e.actorRole } : null,
        action: e.action, entityType: e.entityType, entityId: e.entityId, requestId: e.requestId, words: e.words,
        before: e.before, after: e.after, prevHash: e.prevHash, hash: e.hash,
      }) + '\n',
    end: (v) => `],"verification":${JSON.stringify(v)}}\n`,
  },
  // The table first; after a blank line, the chain's verification and the signed checkpoint of its head.
  csv: {
    start: () => csvRow(COLUMNS),
    event: (e) => csvRow(cells(e)),
    end: (v, m) =>
      `\r\n${csvRow(['chain_ok', 'checked', 'first_bad_seq', 'head_seq', 'head_hash', 'checkpoint'])}${csvRow([v.ok, v.checked, v.firstBadSeq, m.head.seq, m.head.hash, m.checkpoint?.note])}`,
  },
  html: {
    start: (m) =>
      pageStart('Audit report') +
      html`<p>Generated ${m.generatedAt}. Period: ${m.from ?? 'the beginning'} to ${m.to ?? 'now'}. Chain head when the report began: seq ${m.head.seq}, hash <code>${m.head.hash ?? '—'}</code>.</p>
${raw(m.checkpoint ? html`<p>Signed checkpoint of that head (check it with <code>npm run verify</code> and the public key <code>${m.checkpoint.publicKey}</code>):</p><pre>${m.checkpoint.note}</pre>` : '')}
<table><thead><tr>${raw(HTML_COLUMNS.map((c) => html`<th>${c}</th>`).join(''))}</tr></thead><tbody>
`,
    event: (e) =>
      html`<tr><td>${e.seq}</td><td>${e.at.replace('T', ' ').replace('Z', '')}</td><td>${e.words}</td><td>${e.action}</td><td>${e.entityType}<br><code>${e.entityId}</code></td><td><code>${e.hash.slice(0, 16)}…</code></td></tr>\n`,
    end: (v, m) =>
      html`</tbody></table>
<p><strong>Chain verification: ${v.ok ? 'intact' : `BROKEN at seq ${v.firstBadSeq}`}</strong> (${v.checked} events checked up to seq ${m.head.seq}).</p>
` + PAGE_END,
  },
};

/**
 * Walks the chain from its first event to the head as it was when the
 * report began, in keyset batches: every event feeds the verifier, those in
 * the period are written, each also in words. One pass, whatever the log's
 * size, and the first bytes leave before the walk starts.
 */
async function produce(app: AppContext, q: AuditReportQuery, meta: Meta, out: ReportWriter) {
  const layout = LAYOUTS[q.format];
  const verifier = new ChainVerifier();
  out.push(layout.start(meta));
  await out.flush();
  let after = 0;
  let first = true;
  while (after < meta.head.seq) {
    const events = await reportEventsPage(app.prisma, after, meta.head.seq, BATCH);
    if (events.length === 0) break;
    after = events[events.length - 1]!.seq;
    verifier.feed(events);
    const shown = events.filter((e) => !((q.from && e.at < q.from.toISOString()) || (q.to && e.at > q.to.toISOString())));
    const names = await loadNames(app.prisma, shown);
    for (const e of shown) {
      out.push(layout.event({ ...e, words: describeEvent(e, names) }, first));
      first = false;
    }
    await out.flush();
  }
  out.push(layout.end(verifier.result(), meta));
}

export async function auditReport(app: AppContext, q: AuditReportQuery): Promise<Reply> {
  const head = await auditHead(app);
  const checkpoint = app.config.auditSigningKey ? signCheckpoint(auditSigner(app), head) : null;
  const meta: Meta = { generatedAt: new Date().toISOString(), from: q.from?.toISOString() ?? null, to: q.to?.toISOString() ?? null, head, checkpoint };
  return {
    headers: {
      'Content-Type': CONTENT_TYPES[q.format],
      ...(q.format !== 'html' && { 'Content-Disposition': reportFilename('audit-report', q.format) }),
      'X-Audit-Head-Seq': String(meta.head.seq),
      'X-Audit-Head-Hash': meta.head.hash ?? '',
    },
    stream: (res) => streamReport(res, (out) => produce(app, q, meta, out)),
  };
}
