import type { AppContext } from '../../http/context';
import { loadPositionSummaries, requireLiveClaim } from '../claims/repository';
import { partyRefSelect } from '../parties/repository';
import { presentPartyRef } from '../parties/presenter';

export const GRAPH_NODE_CAP = 100;

/**
 * The network of claims around one, breadth first over relations in both
 * directions, up to `depth` hops and at most GRAPH_NODE_CAP nodes. Relations
 * whose party basis was withdrawn, and merged claims, are left out.
 */
export async function claimGraph(app: AppContext, rootId: string, depth: number) {
  await requireLiveClaim(app.prisma, rootId, `/graph?depth=${depth}`);
  const standing = {
    sourceClaim: { mergedIntoId: null },
    targetClaim: { mergedIntoId: null },
    NOT: { assertion: { withdrawnAt: { not: null } } },
  };
  const level = new Map<string, number>([[rootId, 0]]);
  let frontier = [rootId];
  let truncated = false;
  for (let d = 1; d <= depth && frontier.length > 0; d += 1) {
    const relations = await app.prisma.claimRelation.findMany({
      where: { OR: [{ sourceClaimId: { in: frontier } }, { targetClaimId: { in: frontier } }], ...standing },
      select: { sourceClaimId: true, targetClaimId: true },
      orderBy: { id: 'asc' },
    });
    const next: string[] = [];
    for (const r of relations) {
      for (const end of [r.sourceClaimId, r.targetClaimId]) {
        if (level.has(end)) continue;
        if (level.size >= GRAPH_NODE_CAP) {
          truncated = true;
          continue;
        }
        level.set(end, d);
        next.push(end);
      }
    }
    frontier = next;
  }
  const ids = [...level.keys()];
  // Edges once over the final node set, so links between two claims of the outermost ring are kept too.
  const [relations, claims, summaries] = await Promise.all([
    app.prisma.claimRelation.findMany({
      where: { sourceClaimId: { in: ids }, targetClaimId: { in: ids }, ...standing },
      include: { assertion: { select: { party: { select: partyRefSelect } } } },
      orderBy: { id: 'asc' },
    }),
    app.prisma.claim.findMany({ where: { id: { in: ids } }, select: { id: true, statement: true, contestation: true } }),
    loadPositionSummaries(app.prisma, ids),
  ]);
  const byId = new Map(claims.map((c) => [c.id, c]));
  return {
    rootId,
    depth,
    nodes: ids.map((id) => ({ ...byId.get(id)!, depth: level.get(id)!, positions: summaries.get(id)! })),
    edges: relations.map((r) => ({
      id: r.id,
      from: r.sourceClaimId,
      to: r.targetClaimId,
      type: r.type,
      basis: r.basis,
      party: r.assertion ? presentPartyRef(r.assertion.party) : null,
    })),
    truncated,
  };
}
