import { createHash } from 'node:crypto';
import type { AppContext, Caller } from '../../http/context';
import { decodeCursor, keyset, toPage } from '../../http/pagination';
import { ConflictError, NotFoundError } from '../../shared/errors';
import { uuidv7, type FixedId } from '../../shared/uuid';
import { referencedParty } from '../assertions/references';
import { loadPositionSummaries, positionInclude } from '../claims/repository';
import { partyRefSelect, resolveFilterParty } from '../parties/repository';
import { write } from '../write';
import { presentSource, presentSourceDetail, presentSourceSummary } from './presenter';
import type { CreateSourceInput, ListSourcesQuery, SourceAssertionsQuery } from './schema';
import { z } from 'zod';

const include = { publisher: { select: partyRefSelect } } as const;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export async function createSource(app: AppContext, caller: Caller, input: CreateSourceInput & FixedId) {
  return write(app, caller, async (tx, audit) => {
    if (input.url) {
      const existing = await tx.source.findUnique({ where: { url: input.url }, select: { id: true } });
      if (existing) throw new ConflictError('source-exists', 'A source with this URL already exists', { existingId: existing.id });
    }
    const publisher = input.publisherId ? await referencedParty(tx, input.publisherId, 'publisherId') : null;
    const source = await tx.source.create({
      data: {
        id: input.id ?? uuidv7(),
        kind: input.kind,
        title: input.title,
        url: input.url ?? null,
        publisherId: publisher?.id ?? null,
        publishedAt: input.publishedAt ? new Date(input.publishedAt) : null,
        language: input.language ?? null,
        text: input.text ?? null,
        contentSha256: input.text !== undefined ? sha256Hex(input.text) : null,
        retrievedAt: input.retrievedAt ? new Date(input.retrievedAt) : null,
      },
      include,
    });
    const presented = presentSource(source);
    // The audit log records the text's hash, not the text: it proves which text the quotes were checked against.
    audit({ action: 'source.create', entityType: 'source', entityId: source.id, after: presentSourceSummary(source) });
    return presented;
  });
}

/** Assertions in text order: by where the quote starts (unanchored ones last), then id. */
const anchoredKeyset = z.tuple([z.number().int().min(0).max(2 ** 31 - 1).nullable(), z.uuid()]);

function afterAnchor(cursor: string | undefined) {
  if (!cursor) return {};
  const [start, id] = decodeCursor(cursor, anchoredKeyset);
  if (start === null) return { anchorStart: null, id: { gt: id } };
  return { OR: [{ anchorStart: { gt: start } }, { anchorStart: start, id: { gt: id } }, { anchorStart: null }] };
}

/** A source with a page of the active assertions anchored in it (`nextCursor` continues them). */
export async function getSource(app: AppContext, id: string, q: SourceAssertionsQuery) {
  const source = await app.prisma.source.findUnique({ where: { id }, include });
  if (!source) throw new NotFoundError('source', id);
  const rows = await app.prisma.assertion.findMany({
    where: { sourceId: id, withdrawnAt: null, claim: { mergedIntoId: null }, ...afterAnchor(q.cursor) },
    include: { ...positionInclude, claim: { select: { id: true, statement: true, contestation: true } } },
    orderBy: [{ anchorStart: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
    take: q.limit + 1,
  });
  const page = toPage(rows, q.limit, (a) => [a.anchorStart as number, a.id]);
  const summaries = await loadPositionSummaries(app.prisma, page.data.map((a) => a.claimId));
  return presentSourceDetail(source, page.data, summaries, page.nextCursor);
}

export async function listSources(app: AppContext, q: ListSourcesQuery) {
  const after = q.cursor ? decodeCursor(q.cursor, keyset.id)[0] : undefined;
  const publishers = q.publisher ? await resolveFilterParty(app.prisma, q.publisher, 'publisher') : undefined;
  const rows = await app.prisma.source.findMany({
    where: {
      ...(after && { id: { lt: after } }),
      ...(publishers && { publisherId: { in: publishers } }),
      ...(q.q && { OR: [{ title: { contains: q.q, mode: 'insensitive' } }, { url: { contains: q.q, mode: 'insensitive' } }] }),
    },
    include,
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  return toPage(rows.map(presentSourceSummary), q.limit, (s) => [s.id]);
}

export async function deleteSource(app: AppContext, caller: Caller, id: string) {
  await write(app, caller, async (tx, audit) => {
    const source = await tx.source.findUnique({ where: { id }, include });
    if (!source) throw new NotFoundError('source', id);
    const used = await tx.assertion.count({ where: { sourceId: id } });
    if (used > 0) {
      throw new ConflictError('source-in-use', `${used} assertion(s) cite this source; it cannot be deleted`, { references: { assertions: used } });
    }
    await tx.source.delete({ where: { id } });
    audit({ action: 'source.delete', entityType: 'source', entityId: id, before: presentSourceSummary(source) });
  });
}
