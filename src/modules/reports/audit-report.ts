import type { AppContext } from '../../http/context';
import type { Reply } from '../../http/route';
import { ChainVerifier, type StoredEvent, type Verification } from '../audit/chain';
import { auditHead } from '../audit/service';
import { csvRow } from './csv';
import { html, PAGE_END, pageStart } from './html';
import type { AuditReportQuery } from './schema';
import { CONTENT_TYPES, reportFilename, streamReport, type ReportFormat, type ReportWriter } from './stream';

const BATCH = 1000;

type Head = Awaited<ReturnType<typeof auditHead>>;
type Meta = { generatedAt: string; from: string | null; to: string | null; head: Head };
type ReportEvent = StoredEvent & { actorName: string | null };

const COLUMNS = ['seq', 'at', 'actor_id', 'actor_name', 'action', 'entity_type', 'entity_id', 'request_id', 'hash'];
const cells = (e: ReportEvent) => [e.seq, e.at, e.actorId, e.actorName, e.action, e.entityType, e.entityId, e.requestId, e.hash];

/** How each format opens, writes one event, and closes with the chain's verification. */
const LAYOUTS: Record<ReportFormat, { start(m: Meta): string; event(e: ReportEvent, first: boolean): string; end(v: Verification, m: Meta): string }> = {
  json: {
    start: (m) => `{"report":"audit","generatedAt":${JSON.stringify(m.generatedAt)},"from":${JSON.stringify(m.from)},"to":${JSON.stringify(m.to)},"head":${JSON.stringify(m.head)},"events":[`,
    event: (e, first) =>
      (first ? '' : ',') +
      JSON.stringify({ seq: e.seq, at: e.at, actor: e.actorId ? { id: e.actorId, name: e.actorName } : null, action: e.action, entityType: e.entityType, entityId: e.entityId, requestId: e.requestId, hash: e.hash }),
    end: (v) => `],"verification":${JSON.stringify(v)}}\n`,
  },
  // The table first; after a blank line, the chain's verification as a second small table.
  csv: {
    start: () => csvRow(COLUMNS),
    event: (e) => csvRow(cells(e)),
    end: (v, m) => `\r\n${csvRow(['chain_ok', 'checked', 'first_bad_seq', 'head_seq', 'head_hash'])}${csvRow([v.ok, v.checked, v.firstBadSeq, m.head.seq, m.head.hash])}`,
  },
  html: {
    start: (m) =>
      pageStart('Audit report') +
      html`<p>Generated ${m.generatedAt}. Period: ${m.from ?? 'beginning'} to ${m.to ?? 'now'}. Chain head at the time of the report: seq ${m.head.seq}, hash <code>${m.head.hash ?? '—'}</code>.</p>
<table><thead><tr>${COLUMNS.map((c) => html`<th>${c}</th>`).join('')}</tr></thead><tbody>
`,
    event: (e) => `<tr>${cells(e).map((c) => html`<td>${c}</td>`).join('')}</tr>\n`,
    end: (v, m) =>
      html`</tbody></table>
<p><strong>Chain verification: ${v.ok ? 'intact' : `BROKEN at seq ${v.firstBadSeq}`}</strong> (${v.checked} events checked up to seq ${m.head.seq}).</p>
` + PAGE_END,
  },
};

type Row = {
  seq: string; at: string; actor_id: string | null; actor_name: string | null; action: string; entity_type: string;
  entity_id: string; request_id: string | null; before: string | null; after: string | null; prev_hash: string; hash: string;
};

// Plain text columns, parsed here: a report walks millions of rows, and the
// fewer objects each one makes, the flatter the service's memory stays.
const BATCH_SQL = `
SELECT e."seq"::text AS "seq", to_char(e."at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "at",
       e."actor_id"::text AS "actor_id", a."name" AS "actor_name", e."action", e."entity_type", e."entity_id", e."request_id",
       e."before"::text AS "before", e."after"::text AS "after", e."prev_hash", e."hash"
FROM "audit_event" e LEFT JOIN "actor" a ON a."id" = e."actor_id"
WHERE e."seq" > $1::bigint AND e."seq" <= $2::bigint
ORDER BY e."seq" LIMIT ${BATCH}`;

function toReportEvent(r: Row): ReportEvent {
  return {
    seq: Number(r.seq), at: r.at, actorId: r.actor_id, actorName: r.actor_name, action: r.action, entityType: r.entity_type,
    entityId: r.entity_id, requestId: r.request_id, before: r.before === null ? null : JSON.parse(r.before), after: r.after === null ? null : JSON.parse(r.after),
    prevHash: r.prev_hash, hash: r.hash,
  };
}

/**
 * Walks the chain from its first event to the head as it was when the
 * report began, in keyset batches: every event feeds the verifier, those in
 * the period are written. One pass, whatever the log's size, and the first
 * bytes leave before the walk starts.
 */
async function produce(app: AppContext, q: AuditReportQuery, meta: Meta, out: ReportWriter) {
  const layout = LAYOUTS[q.format];
  const verifier = new ChainVerifier();
  out.push(layout.start(meta));
  await out.flush();
  let after = 0;
  let first = true;
  while (after < meta.head.seq) {
    const rows = await app.prisma.$queryRawUnsafe<Row[]>(BATCH_SQL, String(after), String(meta.head.seq));
    if (rows.length === 0) break;
    const events = rows.map(toReportEvent);
    after = events[events.length - 1]!.seq;
    verifier.feed(events);
    for (const e of events) {
      if ((q.from && e.at < q.from.toISOString()) || (q.to && e.at > q.to.toISOString())) continue;
      out.push(layout.event(e, first));
      first = false;
    }
    await out.flush();
  }
  out.push(layout.end(verifier.result(), meta));
}

export async function auditReport(app: AppContext, q: AuditReportQuery): Promise<Reply> {
  const meta: Meta = { generatedAt: new Date().toISOString(), from: q.from?.toISOString() ?? null, to: q.to?.toISOString() ?? null, head: await auditHead(app) };
  return {
    headers: {
      'Content-Type': CONTENT_TYPES[q.format],
      ...(q.format === 'csv' && { 'Content-Disposition': reportFilename('audit-report', 'csv') }),
      'X-Audit-Head-Seq': String(meta.head.seq),
      'X-Audit-Head-Hash': meta.head.hash ?? '',
    },
    stream: (res) => streamReport(res, (out) => produce(app, q, meta, out)),
  };
}
