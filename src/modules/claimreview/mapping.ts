import { createHash } from 'node:crypto';
import { decodeHTML } from 'entities';
import type { PartyKind, ReviewRating, SourceKind } from '../../generated/prisma/enums';
import { detect } from 'tinyld';
import { parseLooseDate, type LooseDate } from './dates';
import { typesOf } from './jsonld';
import { mapRating } from './ratings';
import { STATEMENT_MAX_LENGTH } from '../claims/schema';

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
  /** The fact-checking organisation: the review's author, its publisher, its author's employer, the page's publisher, or the site. */
  reviewer: PartySpec;
  /** The person who signed the review, kept beside the organisation. */
  byline: PartySpec | null;
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

/** Tags replaced by a space, in one forward pass (a `<` with no `>` after it ends the tags). */
export function stripTags(s: string): string {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    const lt = s.indexOf('<', i);
    const gt = lt < 0 ? -1 : s.indexOf('>', lt + 1);
    if (gt < 0) break;
    parts.push(s.slice(i, lt), ' ');
    i = gt + 1;
  }
  parts.push(s.slice(i));
  return parts.join('');
}

/** Text from markup: entities decoded, tags dropped, whitespace collapsed. */
export function cleanText(value: unknown, max = 10_000): string | null {
  const raw = list(value).find((v) => typeof v === 'string' || typeof v === 'number');
  if (raw === undefined) return null;
  // Only the first `max` characters are kept: markup and entities seldom take more than three times the text.
  const s = decodeHTML(stripTags(decodeHTML(String(raw).slice(0, max * 4))))
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
/** Case, accents and vowel signs off (Turkish dotless i too), so that "Sosyal Medya Kullanıcıları" and "सोशल मीडिया यूज़र्स" compare as written anywhere. */
/** Accents, case and spaces aside; the identity of an import is hashed from this, so it must not change. */
const identityFold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
/** For comparing names: also the dotless ı of Turkish as i. */
const fold = (s: string) => identityFold(s).replace(/ı/g, 'i');

const COLLECTIVE = new RegExp(
  '^(' +
    [
      'sources? multiples?', 'multiples? sources?', 'multiple sources', 'various sources', 'several sources', 'plusieurs sources', 'diverses sources',
      'social media( users| posts)?', '(facebook|twitter|x|instagram|tiktok|whatsapp|telegram|youtube|internet|online) (users?|posts?)',
      'viral( posts?| messages?| claims?| images?| videos?)?', '(the )?media( outlets| reports)?', 'news (outlets|sites|reports)', 'medias', 'medios( de comunicacion)?', 'netizens', 'internautes', 'publications? (sur|dans) les reseaux sociaux', 'reseaux sociaux',
      'usuarios( de| en)? (las )?redes( sociales)?', 'redes sociales', 'varias fuentes', 'multiples fuentes', 'fuentes multiples', 'publicaciones virales?',
      'viele nutzer', 'nutzer( in)? sozialen? (medien|netzwerken)', 'soziale (medien|netzwerke)', 'mehrere quellen', 'usuarios', 'users', 'varios',
      'multiple', 'various', 'several', 'unknown', 'unidentified', 'anonymous', 'anonyme', 'anonimo', 'desconocido', 'inconnu', 'unbekannt', 'n/?a', 'none',
      // pt, tr, ar, hi, bn (folded below like the names they are compared with)
      'usuarios (de|das|nas|em) redes sociais', 'redes sociais', 'internautas', 'varias fontes', '(publicacoes|postagens|posts) (nas|em) redes sociais', 'usuarios do (facebook|whatsapp|instagram|tiktok|x|twitter)',
      'sosyal medya( kullanicilari| paylasimlari| hesaplari)?', '(cesitli|birden fazla) kaynak(lar)?', 'internet kullanicilari',
      '((رواد|مستخدمو|مستخدمي|حسابات على|حسابات في) )?(مواقع|وسائل|منصات) التواصل( الاجتماعي)?', 'مصادر (متعددة|مختلفة)',
      'सोशल मीडिया( यूज़र्स| यूजर्स| उपयोगकर्ता| पोस्ट)?', 'वायरल (पोस्ट|दावा|मैसेज)', 'कई स्रोत',
      'সোশ্যাল মিডিয়া( ব্যবহারকারী| ব্যবহারকারীরা)?', 'সামাজিক যোগাযোগ মাধ্যম( ব্যবহারকারী| ব্যবহারকারীরা)?', 'ফেসবুক ব্যবহারকারী(রা)?',
    ]
      .map(fold)
      .join('|') +
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

function claimantOf(value: unknown, name?: string): ClaimantSpec {
  const published = partyOf(value, 'ORGANIZATION');
  const party = published && name ? { ...published, name, url: null } : published;
  if (!party || isCollectiveName(party.name)) return UNIDENTIFIED(party?.name ?? null);
  const affiliations = isObject(value) && !name ? list(value.affiliation ?? value.memberOf ?? value.worksFor) : [];
  const affiliation = party.kind === 'PERSON' ? (affiliations.map((a) => partyOf(a, 'ORGANIZATION')).find((a) => a && !NO_PARTY.test(fold(a.name))) ?? null) : null;
  // Some feeds type a party as a Person affiliated to itself ("PSOE", affiliation "PSOE"): it is the organisation.
  if (affiliation && fold(affiliation.name) === fold(party.name)) {
    return { ...affiliation, collective: false, publishedName: party.name, jobTitle: null, affiliation: null };
  }
  return {
    ...party,
    collective: false,
    publishedName: party.name,
    jobTitle: isObject(value) && !name ? cleanText(value.jobTitle, 200) : null,
    affiliation,
  };
}

const LIST_SEPARATOR = /\s*[,;|]\s*/;
const CONJUNCTION = /\s+(?:and|&|y|e|et|und|en|i|ve|و)\s+/i;

/**
 * The names a claimant field lists: "Facebook,WhatsApp,Twitter,media
 * outlets" is four claimants, "Pedro Sánchez y Alberto Núñez Feijóo" (typed
 * Person) two. A conjunction alone does not split an organisation's name
 * ("Procter & Gamble", "Ministry of Health and Social Affairs").
 */
export function listedNames(name: string, isPerson: boolean): string[] {
  const parts = name.split(LIST_SEPARATOR).filter(Boolean);
  if (parts.length === 1 && !isPerson) return parts;
  // A one-letter platform ("X") is a name; a stray separator is not.
  return parts.flatMap((p) => p.split(CONJUNCTION)).map((p) => p.trim()).filter((p) => /\p{L}/u.test(p));
}

/** Every claimant an itemReviewed.author names (one value may list several). */
function claimantsOf(value: unknown): ClaimantSpec[] {
  const party = partyOf(value, 'ORGANIZATION');
  if (!party) return [UNIDENTIFIED(null)];
  const names = listedNames(party.name, party.kind === 'PERSON');
  return names.length > 1 ? names.map((n) => claimantOf(value, n)) : [claimantOf(value)];
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

const isPerson = (v: unknown) => kindOf(v, 'MEDIA') === 'PERSON';
const asMedia = (p: PartySpec): PartySpec => ({ ...p, kind: p.kind === 'ORGANIZATION' ? 'MEDIA' : p.kind });

/**
 * Who reviewed: the organisation, and the person who signed when the page
 * names one. Many fact-checkers put the individual in `author`; the
 * organisation is then the review's publisher, the person's employer, the
 * page's publisher, or else the site.
 */
function reviewerOf(item: Obj, url: string | null, pagePublisher: unknown, pageByline: unknown): { reviewer: PartySpec; byline: PartySpec | null } | null {
  const authors = list(item.author);
  const signs = (a: unknown) => isObject(a) && isPerson(a) && partyOf(a, 'PERSON') !== null;
  // An organisation as the review's author, and the person in the article's byline: they signed it.
  const signer = authors.find(signs) ?? list(pageByline).find(signs);
  const byline = signer ? partyOf(signer, 'PERSON') : null;
  const organisations = [
    ...authors.filter((a) => !isPerson(a)),
    ...list(item.publisher),
    ...(isObject(signer) ? [...list(signer.worksFor), ...list(signer.affiliation), ...list(signer.memberOf)] : []),
    ...list(pagePublisher),
  ];
  const org = organisations.filter((o) => !isPerson(o)).map((o) => partyOf(o, 'MEDIA')).find((p) => p !== null);
  // Fact-checkers publishing ClaimReview are newsrooms: a plain Organization is MEDIA.
  if (org) return { reviewer: asMedia(org), byline };
  if (url) return { reviewer: { name: new URL(url).hostname.replace(/^www\./, ''), kind: 'MEDIA', url: `${new URL(url).origin}/` }, byline };
  return byline ? { reviewer: byline, byline: null } : null;
}

/** The language a claim is written in, when neither the review nor its page says. */
export function detectLanguage(text: string): string | null {
  return detect(text.slice(0, 2000)) || null;
}

type Nodes = ReadonlyMap<string, Obj>;
const AFFILIATIONS = ['worksFor', 'affiliation', 'memberOf'];

/** A reference to a node of the document (`{ "@id": "…#organization" }`) read as that node, one level deep. */
function deref(value: unknown, nodes: Nodes): unknown {
  if (!isObject(value) || typeof value['@id'] !== 'string' || value.name !== undefined) return value;
  return nodes.get(value['@id']) ?? value;
}

/** Parties as published, references resolved, and so the organisations they belong to. */
function partiesOf(value: unknown, nodes: Nodes): unknown[] {
  return list(value).map((v) => {
    const party = deref(v, nodes);
    if (!isObject(party)) return party;
    const out: Obj = { ...party };
    for (const k of AFFILIATIONS) if (out[k] !== undefined) out[k] = list(out[k]).map((o) => deref(o, nodes));
    return out;
  });
}

/** The ClaimReview with the references it makes to other nodes of its document (Yoast-style `@graph`s) resolved. */
function withReferences(raw: Obj, nodes: Nodes): Obj {
  if (nodes.size === 0) return raw;
  const item = list(raw.itemReviewed).map((i) => deref(i, nodes)).find(isObject);
  return {
    ...raw,
    author: partiesOf(raw.author, nodes),
    publisher: partiesOf(raw.publisher, nodes),
    ...(item && { itemReviewed: { ...item, author: partiesOf(item.author, nodes) } }),
  };
}

/** "counterpoint:review:<uuid>", as the export writes it. */
const EXPORTED_ID = /^counterpoint:review:([0-9a-f-]{36})$/i;

export type MapContext = { pageUrl?: string | null; language?: string | null; publisher?: unknown; byline?: unknown; nodes?: Nodes };

export function mapClaimReview(published: unknown, context: MapContext = {}): MapResult {
  if (!isObject(published)) return { ok: false, reason: 'not a JSON object' };
  const nodes = context.nodes ?? new Map<string, Obj>();
  const raw = withReferences(published, nodes);
  const claimReviewed = list(raw.claimReviewed).map((c) => cleanText(c)).filter((c): c is string => !!c).join(' / ');
  if (!claimReviewed) return { ok: false, reason: 'claimReviewed is missing or empty' };
  // The same bound as a claim's statement written through the API (claims/schema.ts).
  if (claimReviewed.length > STATEMENT_MAX_LENGTH) {
    return { ok: false, reason: `claimReviewed is longer than ${STATEMENT_MAX_LENGTH.toLocaleString('en')} characters, the longest statement a claim may have` };
  }
  const rating = list(raw.reviewRating).find(isObject);
  if (!rating) return { ok: false, reason: 'reviewRating is missing' };
  const url = cleanUrl(raw.url) ?? cleanUrl(context.pageUrl);
  const reviewing = reviewerOf(raw, url, partiesOf(context.publisher, nodes), partiesOf(context.byline, nodes));
  if (!reviewing) return { ok: false, reason: 'the fact-checker (author) is missing and the review has no URL to name it by' };
  const { reviewer } = reviewing;
  const item = list(raw.itemReviewed).find(isObject) ?? {};
  const authors = list(item.author);
  const claimants = authors.length ? authors.flatMap(claimantsOf) : [UNIDENTIFIED(null)];
  const unique = claimants.filter((c, i) => claimants.findIndex((o) => o.name === c.name && o.kind === c.kind) === i);
  const reviewDate = parseLooseDate(raw.datePublished);
  const mapped = mapRating({
    ratingValue: rating.ratingValue,
    worstRating: rating.worstRating,
    bestRating: rating.bestRating,
    label: cleanText(rating.alternateName, 500) ?? cleanText(rating.name, 500),
  });
  const identity = url
    ? `url:${url}#${sha256(identityFold(claimReviewed)).slice(0, 16)}`
    : `hash:${sha256([identityFold(reviewer.name), identityFold(claimReviewed), reviewDate?.iso ?? ''].join('\u0000'))}`;
  const title = cleanText(raw.name ?? raw.headline, 500);
  const summary = cleanText(raw.reviewBody ?? raw.description, 5000) ?? title ?? `${reviewer.name}: ${mapped.label}`;
  const language = cleanText(raw.inLanguage, 35) ?? cleanText(isObject(raw.inLanguage) ? raw.inLanguage.alternateName : null, 35) ?? context.language ?? detectLanguage(`${claimReviewed}. ${summary}`);
  return {
    ok: true,
    value: {
      identity,
      url,
      claimReviewed,
      claimants: unique,
      reviewer,
      byline: reviewing.byline,
      appearances: appearancesOf(item, url),
      occasion: cleanText(item.name, 500),
      page: { url, title: title ?? `${reviewer.name} fact-check`, language },
      claimDate: parseLooseDate(item.datePublished) ?? parseLooseDate(list(item.appearance).find(isObject)?.datePublished),
      reviewDate,
      rating: mapped.rating,
      ratingLabel: mapped.label,
      ratingBasis: mapped.basis,
      summary,
      exportedReviewId: EXPORTED_ID.exec(cleanText(raw.identifier, 200) ?? '')?.[1]?.toLowerCase() ?? null,
    },
  };
}
