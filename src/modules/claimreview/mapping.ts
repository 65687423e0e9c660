import { createHash } from 'node:crypto';
import { decodeHTML } from 'entities';
import type { PartyKind, ReviewRating, SourceKind } from '../../generated/prisma/enums';
import { parseLooseDate, type LooseDate } from './dates';
import { typesOf } from './jsonld';
import { mapRating } from './ratings';

/*
 * One ClaimReview, as published, to what the service records — pure, no
 * database. The claimant (itemReviewed.author) asserts the claim
 * (claimReviewed), in each place it appeared; the fact-checker (author) is
 * the reviewer; reviewRating is the verdict, its label kept as written.
 */

export type PartySpec = { name: string; kind: PartyKind; url: string | null };
export type ClaimantSpec = PartySpec & {
  /** "Sources multiples", "Social media users", or no author at all: recorded against the unidentified-claimants party. */
  collective: boolean;
  /** The name as the page gave it (for a collective claimant, kept as the assertion's occasion). */
  publishedName: string | null;
  jobTitle: string | null;
  affiliation: PartySpec | null;
};
export type AppearanceSpec = { url: string; title: string; kind: SourceKind; publishedAt: LooseDate | null };

export type MappedClaimReview = {
  /** Stable external identity: the review's URL and its claim, or a hash when it has no URL. */
  identity: string;
  url: string | null;
  claimReviewed: string;
  claimants: ClaimantSpec[];
  reviewer: PartySpec;
  appearances: AppearanceSpec[];
  /** Where the claim was made, when the feed names it (itemReviewed.name: "TV3", "a rally in Seville"). */
  occasion: string | null;
  /** The fact-check page: the source quoted when the claim's appearance is unknown. */
  page: { url: string | null; title: string; language: string | null };
  claimDate: LooseDate | null;
  reviewDate: LooseDate | null;
  rating: ReviewRating;
  ratingLabel: string;
  ratingBasis: 'value' | 'label' | 'unrecognised';
  summary: string;
  /** The id of the counterpoint review this item was exported from, if it says so. */
  exportedReviewId: string | null;
};

export type MapResult = { ok: true; value: MappedClaimReview } | { ok: false; reason: string };

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Text from markup: entities decoded, tags dropped, whitespace collapsed. */
export function cleanText(value: unknown, max = 10_000): string | null {
  const raw = list(value).find((v) => typeof v === 'string' || typeof v === 'number');
  if (raw === undefined) return null;
  const s = decodeHTML(decodeHTML(String(raw)).replace(/<[^>]*>/g, ' '))
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toWellFormed();
  return s ? s.slice(0, max) : null;
}

function cleanUrl(value: unknown): string | null {
  const s = cleanText(isObject(value) ? (value.url ?? value['@id']) : value, 2048);
  if (!s) return null;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

const COLLECTIVE = new RegExp(
  '^(' +
    [
      'sources? multiples?', 'multiples? sources?', 'multiple sources', 'various sources', 'several sources', 'plusieurs sources', 'diverses sources',
      'social media( users| posts)?', '(facebook|twitter|x|instagram|tiktok|whatsapp|telegram|youtube|internet|online) (users?|posts?)',
      'viral( posts?| messages?| claims?| images?| videos?)?', 'netizens', 'internautes', 'publications? (sur|dans) les reseaux sociaux', 'reseaux sociaux',
      'usuarios( de| en)? (las )?redes( sociales)?', 'redes sociales', 'varias fuentes', 'multiples fuentes', 'fuentes multiples', 'publicaciones virales?',
      'viele nutzer', 'nutzer( in)? sozialen? (medien|netzwerken)', 'soziale (medien|netzwerke)', 'mehrere quellen', 'usuarios', 'users', 'varios',
      'multiple', 'various', 'several', 'unknown', 'unidentified', 'anonymous', 'anonyme', 'anonimo', 'desconocido', 'inconnu', 'unbekannt', 'n/?a', 'none',
    ].join('|') +
    ')$',
);

export function isCollectiveName(name: string): boolean {
  return COLLECTIVE.test(fold(name).replace(/[.!]+$/, ''));
}

/** Affiliations that name no party: "Sin partido", "Independent"… */
const NO_PARTY = /^(sin partido|sin afiliacion|independiente|independent|none|no party|sans etiquette|sans parti|parteilos|unabhangig|n\/?a)$/;

const ORG_KINDS: Record<string, PartyKind> = {
  Person: 'PERSON',
  NewsMediaOrganization: 'MEDIA',
  GovernmentOrganization: 'GOVERNMENT_BODY',
  PoliticalParty: 'POLITICAL_PARTY',
  Country: 'STATE',
  State: 'STATE',
  Organization: 'ORGANIZATION',
};

function kindOf(value: unknown, fallback: PartyKind): PartyKind {
  for (const t of typesOf(value)) if (ORG_KINDS[t]) return ORG_KINDS[t];
  return fallback;
}

function partyOf(value: unknown, fallback: PartyKind): PartySpec | null {
  const name = cleanText(isObject(value) ? (value.name ?? value.alternateName) : value, 200);
  if (!name) return null;
  return { name, kind: kindOf(value, fallback), url: isObject(value) ? cleanUrl(value.url ?? value.sameAs) : null };
}

const UNIDENTIFIED = (publishedName: string | null): ClaimantSpec => ({
  name: 'Unidentified or multiple claimants',
  kind: 'COALITION',
  url: null,
  collective: true,
  publishedName,
  jobTitle: null,
  affiliation: null,
});

function claimantOf(value: unknown): ClaimantSpec {
  // A list of several outlets in one name ("Facebook, WhatsApp, Twitter") is a group of claimants.
  const party = partyOf(value, 'ORGANIZATION');
  if (!party || isCollectiveName(party.name)) return UNIDENTIFIED(party?.name ?? null);
  const kind = party.kind === 'ORGANIZATION' && /[,;&]| and | y | et | und /.test(party.name) ? 'COALITION' : party.kind;
  const affiliations = isObject(value) ? list(value.affiliation ?? value.memberOf ?? value.worksFor) : [];
  const affiliation = party.kind === 'PERSON' ? (affiliations.map((a) => partyOf(a, 'ORGANIZATION')).find((a) => a && !NO_PARTY.test(fold(a.name))) ?? null) : null;
  // Some feeds type a party as a Person affiliated to itself ("PSOE", affiliation "PSOE"): it is the organisation.
  if (affiliation && fold(affiliation.name) === fold(party.name)) {
    return { ...affiliation, collective: false, publishedName: party.name, jobTitle: null, affiliation: null };
  }
  return {
    ...party,
    kind,
    collective: false,
    publishedName: party.name,
    jobTitle: isObject(value) ? cleanText(value.jobTitle, 200) : null,
    affiliation,
  };
}

const SOCIAL_HOSTS = /(^|\.)(facebook|fb|twitter|x|t|instagram|tiktok|youtube|youtu|whatsapp|telegram|vk|reddit|threads|bsky|linkedin|weibo)\.(com|me|be|net|org|app)$/i;

function appearancesOf(item: Obj, pageUrl: string | null): AppearanceSpec[] {
  const found: AppearanceSpec[] = [];
  const seen = new Set<string>();
  for (const a of [...list(item.appearance), ...list(item.firstAppearance), ...(item.url !== undefined ? [item] : [])]) {
    const url = cleanUrl(a);
    if (!url || seen.has(url) || url === pageUrl) continue;
    seen.add(url);
    const host = new URL(url).hostname;
    const title = (isObject(a) && a !== item ? cleanText(a.headline ?? a.name, 500) : null) ?? `Appearance on ${host}`;
    const publishedAt = parseLooseDate(isObject(a) ? a.datePublished : undefined);
    found.push({ url, title, kind: SOCIAL_HOSTS.test(host) ? 'SOCIAL_POST' : 'ARTICLE', publishedAt });
  }
  return found.slice(0, 10);
}

function reviewerOf(item: Obj, url: string | null): PartySpec | null {
  const candidates = [...list(item.author), ...list(item.publisher)];
  const org = candidates.find((c) => kindOf(c, 'MEDIA') !== 'PERSON' && partyOf(c, 'MEDIA'));
  const party = partyOf(org ?? candidates[0], 'MEDIA');
  // Fact-checkers publishing ClaimReview are newsrooms: a plain Organization is MEDIA.
  if (party) return { ...party, kind: party.kind === 'ORGANIZATION' ? 'MEDIA' : party.kind };
  return url ? { name: new URL(url).hostname.replace(/^www\./, ''), kind: 'MEDIA', url: `${new URL(url).origin}/` } : null;
}

/** "counterpoint:review:<uuid>", as the export writes it. */
const EXPORTED_ID = /^counterpoint:review:([0-9a-f-]{36})$/i;

export function mapClaimReview(raw: unknown, context: { pageUrl?: string | null; language?: string | null } = {}): MapResult {
  if (!isObject(raw)) return { ok: false, reason: 'not a JSON object' };
  const claimReviewed = list(raw.claimReviewed).map((c) => cleanText(c)).filter((c): c is string => !!c).join(' / ');
  if (!claimReviewed) return { ok: false, reason: 'claimReviewed is missing or empty' };
  const rating = list(raw.reviewRating).find(isObject);
  if (!rating) return { ok: false, reason: 'reviewRating is missing' };
  const url = cleanUrl(raw.url) ?? cleanUrl(context.pageUrl);
  const reviewer = reviewerOf(raw, url);
  if (!reviewer) return { ok: false, reason: 'the fact-checker (author) is missing and the review has no URL to name it by' };
  const item = list(raw.itemReviewed).find(isObject) ?? {};
  const authors = list(item.author);
  const claimants = authors.length ? authors.map(claimantOf) : [UNIDENTIFIED(null)];
  const unique = claimants.filter((c, i) => claimants.findIndex((o) => o.name === c.name && o.kind === c.kind) === i);
  const reviewDate = parseLooseDate(raw.datePublished);
  const mapped = mapRating({
    ratingValue: rating.ratingValue,
    worstRating: rating.worstRating,
    bestRating: rating.bestRating,
    label: cleanText(rating.alternateName, 500) ?? cleanText(rating.name, 500),
  });
  const identity = url
    ? `url:${url}#${sha256(fold(claimReviewed)).slice(0, 16)}`
    : `hash:${sha256([fold(reviewer.name), fold(claimReviewed), reviewDate?.iso ?? ''].join('\u0000'))}`;
  const title = cleanText(raw.name ?? raw.headline, 500);
  return {
    ok: true,
    value: {
      identity,
      url,
      claimReviewed,
      claimants: unique,
      reviewer,
      appearances: appearancesOf(item, url),
      occasion: cleanText(item.name, 500),
      page: { url, title: title ?? `${reviewer.name} fact-check`, language: cleanText(raw.inLanguage, 35) ?? context.language ?? null },
      claimDate: parseLooseDate(item.datePublished) ?? parseLooseDate(list(item.appearance).find(isObject)?.datePublished),
      reviewDate,
      rating: mapped.rating,
      ratingLabel: mapped.label,
      ratingBasis: mapped.basis,
      summary: cleanText(raw.reviewBody ?? raw.description, 5000) ?? title ?? `${reviewer.name}: ${mapped.label}`,
      exportedReviewId: EXPORTED_ID.exec(cleanText(raw.identifier, 200) ?? '')?.[1]?.toLowerCase() ?? null,
    },
  };
}
