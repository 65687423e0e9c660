import type { AuditEvent } from '../../generated/prisma/client';
import type { AppContext } from '../../http/context';
import { decodeCursor, keyset, toPage, type Page } from '../../http/pagination';
import { describeEvent, loadNames } from '../reports/audit-words';
import { ChainVerifier, type StoredEvent, type Verification } from './chain';
import type { AuditEventsQuery } from './schema';

const VERIFY_BATCH = 5000;

type Row = AuditEvent;

export function toStoredEvent(row: Row): StoredEvent {
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    actorId: row.actorId,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    requestId: row.requestId,
    before: row.before ?? null,
    after: row.after ?? null,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** Recomputes the whole chain from the first event, in batches. */
export async function verifyAuditChain(app: AppContext): Promise<Verification> {
  const verifier = new ChainVerifier();
  let after = 0n;
  for (;;) {
    const rows = await app.prisma.auditEvent.findMany({
      where: { seq: { gt: after } },
      orderBy: { seq: 'asc' },
      take: VERIFY_BATCH,
    });
    if (rows.length === 0 || !verifier.feed(rows.map(toStoredEvent))) break;
    after = rows[rows.length - 1]!.seq;
  }
  return verifier.result();
}

export async function auditHead(app: AppContext) {
  const head = await app.prisma.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true, at: true } });
  return head ? { seq: Number(head.seq), hash: head.hash, at: head.at.toISOString() } : { seq: 0, hash: null, at: null };
}

export async function listAuditEvents(app: AppContext, q: AuditEventsQuery): Promise<Page<StoredEvent & { words?: string }>> {
  const [afterSeq] = q.cursor ? decodeCursor(q.cursor, keyset.seq) : [0];
  const rows = await app.prisma.auditEvent.findMany({
    where: {
      seq: { gt: BigInt(afterSeq) },
      ...(q.entityType && { entityType: q.entityType }),
      ...(q.entityId && { entityId: q.entityId }),
      ...(q.actorId && { actorId: q.actorId }),
      ...(q.action && { action: q.action }),
      ...((q.from || q.to) && { at: { ...(q.from && { gte: new Date(q.from) }), ...(q.to && { lte: new Date(q.to) }) } }),
    },
    orderBy: { seq: 'asc' },
    take: q.limit + 1,
  });
  const page = toPage(rows.map(toStoredEvent), q.limit, (e) => [e.seq]);
  return q.include === 'words' ? { ...page, data: await inWords(app, page.data) } : page;
}

/** The events of a page, each also in the words of the audit report. */
async function inWords(app: AppContext, events: StoredEvent[]): Promise<(StoredEvent & { words: string })[]> {
  const actorIds = [...new Set(events.map((e) => e.actorId).filter((id): id is string => !!id))];
  const actors = new Map((await app.prisma.actor.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true, role: true } })).map((a) => [a.id, a]));
  const withActors = events.map((e) => ({ ...e, actorName: actors.get(e.actorId ?? '')?.name ?? null, actorRole: actors.get(e.actorId ?? '')?.role ?? null }));
  const names = await loadNames(app.prisma, withActors);
  return events.map((e, i) => ({ ...e, words: describeEvent(withActors[i]!, names) }));
}
