import { Parser } from 'htmlparser2';
import { TooLargeError } from '../../shared/errors';
import { newBudget, parseLenientJson, parseLenientJsonInSlices, SLICE, yieldToOthers, type JsonBudget } from './json-text';

export { parseLenientJson };

/**
 * Finding ClaimReviews in what people send: a JSON-LD object, an array, an
 * `@graph`, a schema.org DataFeed / DataFeedItem, an API response wrapping
 * them, a crawled page record `{ url, page }`, or an HTML page with any number
 * of `<script type="application/ld+json">` blocks (beside blocks of other
 * types, and beside blocks that are not valid JSON). Every ClaimReview found
 * is returned with where it was found; what cannot be read is reported, never
 * thrown, so one bad block does not sink the others.
 */
export type FoundItem = {
  at: string;
  value: Record<string, unknown>;
  pageUrl: string | null;
  language: string | null;
  /** Who publishes the page the item was found on (another block's `publisher`, or og:site_name): a fallback for its reviewer. */
  publisher: unknown;
  /** The `author` of the page's article (NewsArticle, WebPage…): the byline when the ClaimReview names only an organisation. */
  byline: unknown;
  /** The document's nodes by `@id`, for references such as `"author": { "@id": "…#organization" }`. */
  nodes: ReadonlyMap<string, Record<string, unknown>>;
};
export type ExtractionProblem = { at: string; reason: string };
export type Extraction = { items: FoundItem[]; problems: ExtractionProblem[] };

type Page = { url: string | null; language: string | null; publisher?: unknown; byline?: unknown; nodes: Map<string, Record<string, unknown>> };
/** Where a walk is: the page it reads and what the whole import may still build. */
type Context = Page & Shared;
/** Crawled page records found inside JSON, read after the walk (HTML is tokenized asynchronously). */
type PendingPage = { html: string; url: string | null; at: string };
type Shared = { budget: JsonBudget; pages: PendingPage[] };

const MAX_DEPTH = 32;
/** ClaimReviews in one import, and JSON-LD blocks in one page: far above real feeds and pages. */
export const MAX_ITEMS = 2_000;
const MAX_BLOCKS = 200;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `@type` as a string or an array, with or without a vocabulary prefix ("schema:ClaimReview", "http://schema.org/ClaimReview"). */
export function typesOf(value: unknown): string[] {
  if (!isObject(value)) return [];
  const t = value['@type'] ?? value.type;
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string').map((x) => x.replace(/^.*[/:#]/, ''));
}

export const isClaimReview = (value: unknown) => typesOf(value).includes('ClaimReview');

/** The kinds of node whose `author` signs the page a ClaimReview sits on. */
const ARTICLE = /^(Article|NewsArticle|ReportageNewsArticle|AnalysisNewsArticle|BlogPosting|WebPage|ItemPage)$/;
const isArticle = (value: Record<string, unknown>) => typesOf(value).some((t) => ARTICLE.test(t));

/** A crawled page record's HTML: a plain substring test (linear, unlike a pattern with a repeated class). */
function looksLikeHtml(s: string) {
  return /application\/ld\+json/i.test(s);
}

function walk(value: unknown, at: string, page: Context, out: Extraction, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${at}[${i}]`, page, out, depth + 1));
    return;
  }
  if (!isObject(value)) return;
  if (isClaimReview(value)) {
    if (out.items.length >= MAX_ITEMS) {
      throw new TooLargeError('import-too-many-items', `One import takes at most ${MAX_ITEMS} ClaimReviews; split the document`, { limit: MAX_ITEMS });
    }
    out.items.push({ at, value, pageUrl: page.url, language: page.language, publisher: null, byline: null, nodes: page.nodes });
    return;
  }
  const id = value['@id'];
  if (typeof id === 'string' && !page.nodes.has(id) && Object.keys(value).some((k) => k !== '@id' && k !== '@type')) page.nodes.set(id, value);
  // A crawled page kept as { url, page: "<html>…" }: read it as the page it is.
  if (typeof value.page === 'string' && looksLikeHtml(value.page)) {
    page.pages.push({ html: value.page, url: typeof value.url === 'string' ? value.url : page.url, at: `${at}.page` });
    return;
  }
  if (page.publisher === undefined && value.publisher) page.publisher = value.publisher;
  if (page.byline === undefined && value.author && isArticle(value)) page.byline = value.author;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'object' && v !== null) walk(v, `${at}.${k}`, page, out, depth + 1);
  }
}

async function readPendingPages(shared: Shared, out: Extraction): Promise<void> {
  for (let next = shared.pages.shift(); next; next = shared.pages.shift()) await readHtml(next.html, next.url, next.at, shared, out);
}

export async function extractFromJson(value: unknown, pageUrl: string | null = null, at = '$', budget: JsonBudget = newBudget()): Promise<Extraction> {
  const out: Extraction = { items: [], problems: [] };
  const shared: Shared = { budget, pages: [] };
  walk(value, at, { url: pageUrl, language: null, nodes: new Map(), ...shared }, out, 0);
  await readPendingPages(shared, out);
  return out;
}

/** A JSON document sent as text: parsed within the import's budget, then walked with the same one. */
export async function extractFromJsonText(text: string, pageUrl: string | null = null, at = '$'): Promise<Extraction> {
  const budget = newBudget();
  return extractFromJson(await parseLenientJsonInSlices(text, budget), pageUrl, at, budget);
}

type PageScan = { blocks: string[]; url: string | null; language: string | null; siteName: string | null };

const isLdJson = (type: string | undefined) => /^\s*application\/ld\+json\b/i.test(type ?? '');

/**
 * One pass of htmlparser2's tokenizer over the page: the text of its JSON-LD
 * script blocks, its canonical link or og:url, and `<html lang>`. Script
 * content is raw text to the tokenizer, so markup inside JSON is kept as is.
 */
async function scanPage(html: string): Promise<PageScan> {
  const scan: PageScan = { blocks: [], url: null, language: null, siteName: null };
  let canonical: string | null = null;
  let ogUrl: string | null = null;
  let block: string[] | null = null;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'script' && isLdJson(attrs.type)) {
          if (scan.blocks.length >= MAX_BLOCKS) {
            throw new TooLargeError('import-too-many-blocks', `A page may hold at most ${MAX_BLOCKS} JSON-LD blocks`, { limit: MAX_BLOCKS });
          }
          block = [];
        } else if (name === 'html' && scan.language === null) scan.language = attrs.lang?.trim() || null;
        else if (name === 'link' && canonical === null && /(^|\s)canonical(\s|$)/i.test(attrs.rel ?? '')) canonical = attrs.href?.trim() || null;
        else if (name === 'meta' && ogUrl === null && attrs.property === 'og:url') ogUrl = attrs.content?.trim() || null;
        else if (name === 'meta' && scan.siteName === null && attrs.property === 'og:site_name') scan.siteName = attrs.content?.trim() || null;
      },
      ontext(text) {
        block?.push(text);
      },
      onclosetag(name) {
        if (name === 'script' && block) {
          scan.blocks.push(block.join(''));
          block = null;
        }
      },
    },
    { decodeEntities: true },
  );
  for (let i = 0; i < html.length; i += SLICE) {
    parser.write(html.slice(i, i + SLICE));
    await yieldToOthers();
  }
  parser.end();
  const url = canonical ?? ogUrl;
  scan.url = url && /^https?:\/\//i.test(url) ? url : null;
  return scan;
}

async function readHtml(html: string, pageUrl: string | null, at: string, shared: Shared, out: Extraction): Promise<void> {
  const scan = await scanPage(html);
  const page: Context = { url: pageUrl ?? scan.url, language: scan.language, nodes: new Map(), ...shared };
  const first = out.items.length;
  for (const [i, text] of scan.blocks.entries()) {
    const where = `${at}:script[${i}]`;
    let value: unknown;
    try {
      value = await parseLenientJsonInSlices(text, shared.budget);
    } catch (err) {
      if (err instanceof TooLargeError) throw err;
      out.problems.push({ at: where, reason: `not valid JSON: ${(err as Error).message}` });
      continue;
    }
    walk(value, where, page, out, 0);
  }
  const publisher = page.publisher ?? scan.siteName;
  for (const item of out.items.slice(first)) Object.assign(item, { publisher, byline: page.byline ?? null });
}

export async function extractFromHtml(html: string, pageUrl: string | null = null, at = 'html'): Promise<Extraction> {
  const out: Extraction = { items: [], problems: [] };
  const shared: Shared = { budget: newBudget(), pages: [] };
  await readHtml(html, pageUrl, at, shared, out);
  await readPendingPages(shared, out);
  return out;
}
