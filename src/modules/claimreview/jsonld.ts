/**
 * Finding ClaimReviews in what people send: a JSON-LD object, an array, an
 * `@graph`, a schema.org DataFeed / DataFeedItem, an API response wrapping
 * them, a crawled page record `{ url, page }`, or an HTML page with any number
 * of `<script type="application/ld+json">` blocks (beside blocks of other
 * types, and beside blocks that are not valid JSON). Every ClaimReview found
 * is returned with where it was found; what cannot be read is reported, never
 * thrown, so one bad block does not sink the others.
 */
export type FoundItem = { at: string; value: Record<string, unknown>; pageUrl: string | null; language: string | null };
export type ExtractionProblem = { at: string; reason: string };
export type Extraction = { items: FoundItem[]; problems: ExtractionProblem[] };

type Page = { url: string | null; language: string | null };

const MAX_DEPTH = 32;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `@type` as a string or an array, with or without a vocabulary prefix ("schema:ClaimReview", "http://schema.org/ClaimReview"). */
export function typesOf(value: unknown): string[] {
  if (!isObject(value)) return [];
  const t = value['@type'] ?? value.type;
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string').map((x) => x.replace(/^.*[/:#]/, ''));
}

export const isClaimReview = (value: unknown) => typesOf(value).includes('ClaimReview');

function looksLikeHtml(s: string) {
  return /<script[^>]*application\/ld\+json/i.test(s);
}

function walk(value: unknown, at: string, page: Page, out: Extraction, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${at}[${i}]`, page, out, depth + 1));
    return;
  }
  if (!isObject(value)) return;
  if (isClaimReview(value)) {
    out.items.push({ at, value, pageUrl: page.url, language: page.language });
    return;
  }
  // A crawled page kept as { url, page: "<html>…" }: read it as the page it is.
  if (typeof value.page === 'string' && looksLikeHtml(value.page)) {
    const inner = extractFromHtml(value.page, typeof value.url === 'string' ? value.url : page.url, `${at}.page`);
    out.items.push(...inner.items);
    out.problems.push(...inner.problems);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'object' && v !== null) walk(v, `${at}.${k}`, page, out, depth + 1);
  }
}

export function extractFromJson(value: unknown, pageUrl: string | null = null, at = '$'): Extraction {
  const out: Extraction = { items: [], problems: [] };
  walk(value, at, { url: pageUrl, language: null }, out, 0);
  return out;
}

/** JSON as pages really write it: a retry forgives raw control characters and trailing commas. */
export function parseLenientJson(text: string): unknown {
  const body = text
    .trim()
    .replace(/^<!--|-->$/g, '')
    .replace(/^\s*(?:\/\/)?\s*<!\[CDATA\[|(?:\/\/)?\s*\]\]>\s*$/g, '')
    .trim();
  try {
    return JSON.parse(body);
  } catch (first) {
    try {
      return JSON.parse(body.replace(/[\u0000-\u001f]+/g, ' ').replace(/,\s*([}\]])/g, '$1'));
    } catch {
      throw first;
    }
  }
}

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const LD_JSON = /\btype\s*=\s*["']?application\/ld\+json\b/i;

function attribute(tag: string | undefined, name: string): string | null {
  const m = tag ? new RegExp(`\\b${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag) : null;
  return m?.[1]?.trim() || null;
}

/** The page's own address and language, when the caller gave none: its canonical link, og:url, and `<html lang>`. */
function pageFacts(html: string): Page {
  const canonical = /<link\b[^>]*\brel\s*=\s*["']canonical["'][^>]*>/i.exec(html)?.[0];
  const ogUrl = /<meta\b[^>]*\bproperty\s*=\s*["']og:url["'][^>]*>/i.exec(html)?.[0];
  const htmlTag = /<html\b[^>]*>/i.exec(html)?.[0];
  const url = attribute(canonical, 'href') ?? attribute(ogUrl, 'content');
  return { url: url && /^https?:\/\//i.test(url) ? url : null, language: attribute(htmlTag, 'lang') };
}

export function extractFromHtml(html: string, pageUrl: string | null = null, at = 'html'): Extraction {
  const facts = pageFacts(html);
  const page: Page = { url: pageUrl ?? facts.url, language: facts.language };
  const out: Extraction = { items: [], problems: [] };
  let block = 0;
  for (const m of html.matchAll(SCRIPT)) {
    if (!LD_JSON.test(m[1] ?? '')) continue;
    const where = `${at}:script[${block}]`;
    block += 1;
    let value: unknown;
    try {
      value = parseLenientJson(m[2] ?? '');
    } catch (err) {
      out.problems.push({ at: where, reason: `not valid JSON: ${(err as Error).message}` });
      continue;
    }
    walk(value, where, page, out, 0);
  }
  return out;
}
