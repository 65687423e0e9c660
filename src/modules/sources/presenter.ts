import { presentPartyRef, type PartyRefRow } from '../parties/presenter';
import { presentPosition, type AssertionRow } from '../claims/presenter';
import type { PositionSummary } from '../claims/repository';
import type { Contestation, SourceKind } from '../../generated/prisma/enums';
import type { SourceDetailOut, SourceOut, SourceSummaryOut } from './responses';

type SourceRow = {
  id: string;
  kind: SourceKind;
  title: string;
  url: string | null;
  publishedAt: Date | null;
  language: string | null;
  text: string | null;
  contentSha256: string | null;
  retrievedAt: Date | null;
  createdAt: Date;
  publisher: PartyRefRow | null;
};

export function presentSource(s: SourceRow): SourceOut {
  return {
    id: s.id,
    kind: s.kind,
    title: s.title,
    url: s.url,
    publisher: s.publisher ? presentPartyRef(s.publisher) : null,
    publishedAt: s.publishedAt?.toISOString() ?? null,
    language: s.language,
    text: s.text,
    contentSha256: s.contentSha256,
    retrievedAt: s.retrievedAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
  };
}

type AnchoredRow = AssertionRow & { claim: { id: string; statement: string; contestation: Contestation } };

const NO_POSITIONS: PositionSummary = { affirms: [], denies: [], questions: [], retracts: [] };

/** In lists a source comes without its text, which may be long. */
export function presentSourceSummary(s: SourceRow): SourceSummaryOut {
  const { text: _text, ...summary } = presentSource(s);
  return summary;
}

/** The source with every active assertion anchored in it, in text order, ready to highlight. */
export function presentSourceDetail(
  s: SourceRow,
  assertions: AnchoredRow[],
  summaries: Map<string, PositionSummary>,
  nextCursor: string | null,
): SourceDetailOut {
  return {
    nextCursor,
    ...presentSource(s),
    assertions: assertions.map((a) => {
      const { source: _source, occasion: _occasion, ...position } = presentPosition(a);
      return { ...position, claim: { ...a.claim, positions: summaries.get(a.claim.id) ?? NO_POSITIONS } };
    }),
  };
}
