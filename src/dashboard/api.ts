/* The public HTTP API, as the dashboard uses it. Types mirror the zod response shapes of the server. */

export type Role = 'READER' | 'EDITOR' | 'REVIEWER' | 'ADMIN';
export type Stance = 'AFFIRMS' | 'DENIES' | 'QUESTIONS' | 'RETRACTS';
export type Contestation = 'uncontested' | 'contested' | 'retracted';
export type ReviewStatus = 'DRAFT' | 'IN_REVIEW' | 'PUBLISHED' | 'WITHDRAWN';

export const STANCES: Stance[] = ['AFFIRMS', 'DENIES', 'QUESTIONS', 'RETRACTS'];
export const RATINGS = ['SUPPORTED', 'MOSTLY_SUPPORTED', 'MIXED', 'MOSTLY_UNSUPPORTED', 'UNSUPPORTED', 'UNVERIFIABLE', 'DISPUTED'] as const;
export const EVIDENCE_RELATIONS = ['SUPPORTS', 'REFUTES', 'CONTEXT'] as const;
export const REVIEW_STATUSES: ReviewStatus[] = ['DRAFT', 'IN_REVIEW', 'PUBLISHED', 'WITHDRAWN'];

export type Me = { actorId: string; name: string; role: Role };
export type PartyRef = { id: string; slug: string; name: string; kind: string };
export const PARTY_KINDS = ['STATE', 'GOVERNMENT_BODY', 'INTERGOVERNMENTAL', 'ARMED_GROUP', 'POLITICAL_PARTY', 'ORGANIZATION', 'MEDIA', 'PERSON', 'COALITION'] as const;
export const SOURCE_KINDS = ['ARTICLE', 'SOCIAL_POST', 'PRESS_RELEASE', 'PRESS_CONFERENCE', 'OFFICIAL_STATEMENT', 'TRANSCRIPT', 'REPORT', 'FACT_CHECK', 'OTHER'] as const;
export const RELATION_TYPES = ['COUNTERS', 'CONTRADICTS', 'SUPPORTS', 'QUALIFIES'] as const;
export const ROLES: Role[] = ['READER', 'EDITOR', 'REVIEWER', 'ADMIN'];
export type Party = PartyRef & { aliases: string[]; country: string | null; description: string | null; wikidataId: string | null; version: number; createdAt: string; updatedAt: string };
export type Affiliation = { id: string; person: PartyRef; party: PartyRef; role: string; from: string | null; to: string | null };
export type PartyDetail = Party & { affiliations: Affiliation[]; members: Affiliation[] };
export type ApiKey = { id: string; name: string; role: Role; actorId: string; prefix: string; createdAt: string; revokedAt: string | null };
export type IssuedKey = ApiKey & { key: string };
export type SourceRef = { id: string; kind: string; title: string; url: string | null; publisher: PartyRef | null; publishedAt: string | null; language: string | null };
export type PositionSummary = { affirms: PartyRef[]; denies: PartyRef[]; questions: PartyRef[]; retracts: PartyRef[] };
export type Anchor = { exact: string; prefix: string; suffix: string; start: number | null; end: number | null };
export type Position = {
  assertionId: string;
  stance: Stance;
  party: PartyRef;
  speaker: PartyRef | null;
  quote: string;
  quoteKind: 'DIRECT' | 'INDIRECT';
  anchor: Anchor | null;
  source: { id: string; title: string; publisher: PartyRef | null; url: string | null };
  assertedAt: string | null;
  occasion: string | null;
};
export type Positions = { affirms: Position[]; denies: Position[]; questions: Position[]; retracts: Position[] };
export type Assertion = Position & { claimId: string; createdAt: string; withdrawn: { at: string; reason: string | null } | null };
export type ClaimRef = { id: string; statement: string; contestation: Contestation; positions: PositionSummary };
export type ClaimLink = {
  relationId: string;
  relation: 'COUNTERS' | 'CONTRADICTS' | 'SUPPORTS' | 'QUALIFIES';
  direction: 'incoming' | 'outgoing';
  basis: 'PARTY' | 'EDITORIAL';
  claim: ClaimRef;
  by: PartyRef | null;
  note: string | null;
};
export type Highlight = { start: number; end: number };
export type SearchMatch = { field: 'statement' | 'quote'; assertionId?: string; text: string; highlights: Highlight[] };
export type ClaimSummary = {
  id: string;
  statement: string;
  topics: string[];
  subjects: PartyRef[];
  language: string | null;
  version: number;
  contestation: Contestation;
  positions: Positions;
  attributedSummary: string;
  createdAt: string;
  updatedAt: string;
  matches?: SearchMatch[];
};
export type Evidence = { sourceId: string | null; url: string | null; title: string | null; relation: string; note: string | null };
export type Review = {
  id: string;
  claimId: string;
  status: ReviewStatus;
  reviewer: PartyRef;
  author: { id: string; name: string };
  rating: string;
  ratingLabel: string;
  summary: string;
  evidence: Evidence[];
  version: number;
  createdAt: string;
  updatedAt: string;
  published: { at: string; by: { id: string; name: string } } | null;
  withdrawn: { at: string | null; reason: string | null; by: { id: string; name: string } } | null;
};
export type Dossier = ClaimSummary & { counterClaims: ClaimLink[]; supportingClaims: ClaimLink[]; reviews: Review[]; history: Assertion[] };
export type Page<T> = { data: T[]; nextCursor: string | null };
export type QueueItem = {
  claim: { id: string; statement: string; topics: string[]; contestation: Contestation; positions: PositionSummary };
  /** Parties that answer the claim with a counter-claim (PARTY basis). */
  counteredBy: PartyRef[];
  partiesWithPosition: number;
  latestAssertionAt: string;
  /** The latest date one of its assertions was said on; null when none is dated. */
  latestAssertedAt: string | null;
  draft: { id: string; status: ReviewStatus; author: { id: string; name: string }; updatedAt: string } | null;
};
export type Graph = {
  rootId: string;
  depth: number;
  nodes: (ClaimRef & { depth: number })[];
  edges: { id: string; from: string; to: string; type: ClaimLink['relation']; basis: string; party: PartyRef | null }[];
  truncated: boolean;
};
export type SourceDetail = {
  id: string;
  kind: string;
  title: string;
  url: string | null;
  publisher: PartyRef | null;
  publishedAt: string | null;
  language: string | null;
  text: string | null;
  assertions: (Omit<Position, 'source' | 'occasion'> & { claim: ClaimRef })[];
};
export type Stats = {
  bucket: string;
  claims: { total: number; byContestation: Record<Contestation, number>; byTopic: { topic: string; count: number }[] };
  assertions: { total: number; byStance: Record<Stance, number> };
  reviews: { total: number; byStatus: Record<ReviewStatus, number>; byRating: Record<string, number> };
  newClaims: { bucket: string; count: number }[];
};
export type AuditEvent = { seq: number; at: string; actorId: string | null; action: string; entityType: string; entityId: string; hash: string };
export type Verification = { ok: boolean; checked: number; firstBadSeq: number | null };
export type AuditHead = { seq: number; hash: string | null; at: string | null };

/** An answer other than 2xx, carrying the API's problem details (RFC 9457). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(detail || title);
  }
}

const KEY = 'counterpoint.apiKey';

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  set: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export type Answer<T> = { body: T; etag: string | null };

export async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, key = session.key()): Promise<Answer<T>> {
  // Never from the browser's cache: a party's ETag is its version, which adding an affiliation does not
  // change, so a revalidated read (304) would show the party as it was before the write.
  const init: RequestInit = { method, cache: 'no-store', headers: { Accept: 'application/json', ...headers } };
  if (key) (init.headers as Record<string, string>).Authorization = `Bearer ${key}`;
  if (body !== undefined) {
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'The service cannot be reached', 'Check your connection and try again.');
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const p = (json ?? {}) as { title?: string; detail?: string; errors?: { path: string; message: string }[] };
    throw new ApiError(res.status, p.title ?? `HTTP ${res.status}`, p.detail ?? (text.slice(0, 300) || res.statusText), p.errors ?? []);
  }
  return { body: json as T, etag: res.headers.get('ETag') };
}

export const get = async <T>(path: string, query?: Query) => (await call<T>('GET', withQuery(path, query))).body;

let chainCheck: Promise<[Verification, AuditHead]> | undefined;

/**
 * The chain's verification and head. Verifying walks the whole chain, so the
 * header's badge and the admin page opened at the same time share one check.
 */
export function auditChainState(): Promise<[Verification, AuditHead]> {
  chainCheck ??= Promise.all([get<Verification>('/v1/audit/verify'), get<AuditHead>('/v1/audit/head')]).finally(() => {
    chainCheck = undefined;
  });
  return chainCheck;
}

/** A new Idempotency-Key: one per intended write, so that a repeat of the same click writes once. */
export const newIdempotencyKey = (): string => crypto.randomUUID();

/** A POST with its Idempotency-Key (a fresh one unless the caller retries an earlier attempt). */
export const post = async <T>(path: string, body: unknown, idempotencyKey: string = newIdempotencyKey()) =>
  (await call<T>('POST', path, body, { 'Idempotency-Key': idempotencyKey })).body;

/** The file a report (or any GET) answers, fetched with the signed-in key, then saved by the browser. */
export async function download(path: string, filename: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { Authorization: `Bearer ${session.key() ?? ''}` } });
  } catch {
    throw new ApiError(0, 'The service cannot be reached', 'Check your connection and try again.');
  }
  if (!res.ok) {
    const p = (await res.json().catch(() => ({}))) as { title?: string; detail?: string; errors?: { path: string; message: string }[] };
    throw new ApiError(res.status, p.title ?? `HTTP ${res.status}`, p.detail ?? res.statusText, p.errors ?? []);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const RANK: Record<Role, number> = { READER: 1, EDITOR: 2, REVIEWER: 3, ADMIN: 4 };
export const roleAtLeast = (me: Me | null, role: Role) => !!me && RANK[me.role] >= RANK[role];
