import type { Prisma } from '../../db/client';
import { labelsById } from './repository';

/*
 * Each audit event in words, for the auditor who reads the report rather
 * than its hashes: who did what, naming the claim by its statement and the
 * parties by their names.
 */
type Row = Record<string, unknown>;
export type WordsEvent = { action: string; entityType: string; entityId: string; before: unknown; after: unknown; actorName: string | null; actorRole: string | null };

/** Names the events of one batch refer to, read in two statements. */
export type Names = { parties: Map<string, string>; claims: Map<string, string>; actors: Map<string, string> };

const PARTY_COLUMNS = ['party_id', 'speaker_id', 'person_id', 'reviewer_id', 'publisher_id'];
const CLAIM_COLUMNS = ['claim_id', 'source_claim_id', 'target_claim_id', 'merged_into_id'];
const ACTOR_COLUMNS = ['actor_id', 'author_actor_id'];

const rowsOf = (e: { before: unknown; after: unknown }) => [e.before, e.after].filter((r): r is Row => !!r && typeof r === 'object');
const idsIn = (events: WordsEvent[], columns: string[]) => [
  ...new Set(events.flatMap((e) => rowsOf(e).flatMap((r) => columns.map((c) => r[c]).filter((v): v is string => typeof v === 'string')))),
];

export async function loadNames(db: Prisma, events: WordsEvent[]): Promise<Names> {
  const [parties, claims, actors] = await Promise.all([
    labelsById(db, 'party', idsIn(events, PARTY_COLUMNS)),
    labelsById(db, 'claim', idsIn(events, CLAIM_COLUMNS)),
    labelsById(db, 'actor', idsIn(events, ACTOR_COLUMNS)),
  ]);
  return { parties, claims, actors };
}

const MAX_QUOTE = 200;
const clip = (s: unknown) => {
  const text = String(s ?? '');
  return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE - 1)}…` : text;
};
/** A review's status as words: IN_REVIEW → "in review". */
const status = (s: unknown) => String(s).toLowerCase().replace(/_/g, ' ');
const STANCE_VERB: Record<string, string> = { AFFIRMS: 'affirms', DENIES: 'denies', QUESTIONS: 'questions', RETRACTS: 'retracts' };
// bookkeeping columns, and the search indexes the database derives from the text (no one's change)
const IGNORED_CHANGES = new Set(['updated_at', 'version', 'last_asserted_at', 'search_vector', 'draft_vector']);

/** "statement: 'a' → 'b'; contestation: uncontested → contested" */
function changes(before: Row, after: Row): string {
  const shown = (v: unknown) => (typeof v === 'string' ? `'${clip(v)}'` : JSON.stringify(v));
  const diffs = Object.keys(after)
    .filter((k) => !IGNORED_CHANGES.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => `${k.replace(/_/g, ' ')}: ${shown(before[k])} → ${shown(after[k])}`);
  return diffs.length > 0 ? diffs.join('; ') : `version ${before.version ?? '?'} → ${after.version ?? '?'}`;
}

export function describeEvent(e: WordsEvent, names: Names): string {
  const who = e.actorName ? `${e.actorName}${e.actorRole ? ` (${e.actorRole})` : ''}` : 'The service';
  return `${who} ${whatHappened(e, names)}.`;
}

function whatHappened(e: WordsEvent, n: Names): string {
  const row = (e.after ?? e.before) as Row | null;
  if (!row || typeof row !== 'object') return `${e.action} ${e.entityType} ${e.entityId}`;
  const before = e.before as Row | null;
  const party = (id: unknown) => (typeof id === 'string' ? (n.parties.get(id) ?? `party ${id}`) : 'nobody');
  const claim = (id: unknown) => (typeof id === 'string' ? `'${clip(n.claims.get(id) ?? `claim ${id}`)}'` : 'no claim');
  const actor = (id: unknown) => (typeof id === 'string' ? (n.actors.get(id) ?? `actor ${id}`) : 'nobody');
  const created = !before;
  const deleted = !e.after;
  switch (e.entityType) {
    case 'assertion': {
      const holder = row.speaker_id && row.speaker_id !== row.party_id ? `${party(row.party_id)} (${party(row.speaker_id)})` : party(row.party_id);
      const stance = `${holder} ${STANCE_VERB[String(row.stance)] ?? String(row.stance).toLowerCase()} ${claim(row.claim_id)}`;
      if (created) return `recorded that ${stance}, quoting “${clip(row.quote)}”`;
      if (before && before.claim_id !== row.claim_id) return `moved the assertion that ${holder} ${STANCE_VERB[String(row.stance)]} from ${claim(before.claim_id)} to ${claim(row.claim_id)}`;
      if (!before?.withdrawn_at && row.withdrawn_at) return `withdrew the assertion that ${stance} (reason: ${clip(row.withdrawn_reason)})`;
      return `changed the assertion that ${stance}: ${changes(before!, row)}`;
    }
    case 'claim':
      if (created) return `recorded the claim '${clip(row.statement)}'`;
      if (!before?.merged_into_id && row.merged_into_id) return `merged the claim '${clip(row.statement)}' into ${claim(row.merged_into_id)}`;
      return `changed the claim '${clip(row.statement)}': ${changes(before!, row)}`;
    case 'claim_subject':
      return `${deleted ? 'no longer names' : 'named'} ${party(row.party_id)} as a subject of ${claim(row.claim_id)}`;
    case 'claim_relation': {
      const by = row.basis === 'PARTY' ? ' on the word of the asserting party' : ' (an editorial link)';
      const link = `${claim(row.source_claim_id)} ${String(row.type).toLowerCase()} ${claim(row.target_claim_id)}`;
      return created ? `recorded that ${link}${by}` : `changed the relation: ${link}: ${changes(before!, row)}`;
    }
    case 'review': {
      const review = `${party(row.reviewer_id)}'s review of ${claim(row.claim_id)} (${row.rating} “${clip(row.rating_label)}”)`;
      if (created) return `${row.status === 'PUBLISHED' ? 'published' : 'drafted'} ${review}`;
      if (before && before.status !== row.status) return `moved ${review} from ${status(before.status)} to ${status(row.status)}${row.withdrawn_reason ? ` (reason: ${clip(row.withdrawn_reason)})` : ''}`;
      return `edited ${review}: ${changes(before!, row)}`;
    }
    case 'review_contributor':
      return `${deleted ? 'no longer counts' : 'counted'} ${actor(row.actor_id)} among the writers of review ${row.review_id} (none of them may publish it)`;
    case 'review_evidence':
      return `${deleted ? 'removed' : created ? 'added' : 'changed'} evidence (${row.relation}) of a review: ${row.url ?? `source ${row.source_id}`}${row.note ? ` — ${clip(row.note)}` : ''}`;
    case 'party':
      if (created) return `added the party ${row.name} (${row.kind})`;
      if (deleted) return `deleted the party ${row.name}`;
      return `changed the party ${row.name}: ${changes(before!, row)}`;
    case 'affiliation':
      return `recorded that ${party(row.person_id)} is ${row.role} of ${party(row.party_id)}`;
    case 'source':
      return `${deleted ? 'deleted' : created ? 'added' : 'changed'} the source “${clip(row.title)}”${row.url ? ` (${row.url})` : ''}`;
    case 'actor':
      return `${created ? 'created' : 'changed'} the actor ${row.name} (${row.role})`;
    case 'api_key':
      if (created) return `issued the key ${row.prefix}… to ${actor(row.actor_id)}`;
      return `${row.revoked_at ? 'revoked' : 'changed'} the key ${row.prefix}… of ${actor(row.actor_id)}`;
    case 'setting':
      return `set ${row.key} to ${JSON.stringify(row.value)}`;
    case 'claimreview_import':
      return `imported the ClaimReview ${row.url ?? row.identity} as a review of ${claim(row.claim_id)}`;
    default:
      return `${e.action} ${e.entityType} ${e.entityId}`;
  }
}
