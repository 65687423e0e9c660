import { TooLargeError } from '../../shared/errors';

/*
 * JSON as fact-checkers' pages write it, read in time linear in its length
 * and in memory the service's heap can hold. `JSON.parse` does the parsing;
 * before it runs, one pass over the text counts the objects, arrays and
 * elements it would build and how deep they nest, so a 10 MB `[{},{},…]`
 * is refused before it costs a byte of heap (about 60 bytes per object).
 * The limits are far above any real feed (a ClaimReview is about 15 objects
 * and arrays); `bench/hostile-import.ts` measures the peak at the limits.
 */
export const JSON_LIMITS = { containers: 200_000, elements: 1_000_000, depth: 64 };

/** What one import may still build: shared by every JSON-LD block of a page. */
export type JsonBudget = { containers: number; elements: number };

export const newBudget = (): JsonBudget => ({ containers: JSON_LIMITS.containers, elements: JSON_LIMITS.elements });

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

function tooLarge(what: string): never {
  throw new TooLargeError(
    'import-too-complex',
    `The document is larger than one import takes: ${what}. Limits: ${JSON_LIMITS.containers} objects and arrays, ` +
      `${JSON_LIMITS.elements} elements, nesting ${JSON_LIMITS.depth} deep. Split it into several imports.`,
    { limits: JSON_LIMITS },
  );
}

type ScanState = { depth: number; inString: boolean; escaped: boolean };

/** Counts, outside strings, what JSON.parse would build in text[from, to); throws TooLargeError past the limits. */
function spendRange(text: string, from: number, to: number, budget: JsonBudget, st: ScanState): void {
  for (let i = from; i < to; i += 1) {
    const c = text.charCodeAt(i);
    if (st.inString) {
      if (st.escaped) st.escaped = false;
      else if (c === BACKSLASH) st.escaped = true;
      else if (c === QUOTE) st.inString = false;
    } else if (c === QUOTE) {
      st.inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      st.depth += 1;
      if (st.depth > JSON_LIMITS.depth) tooLarge(`nested more than ${JSON_LIMITS.depth} deep`);
      if ((budget.containers -= 1) < 0) tooLarge(`more than ${JSON_LIMITS.containers} objects and arrays`);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      st.depth -= 1;
    } else if (c === COMMA && (budget.elements -= 1) < 0) {
      tooLarge(`more than ${JSON_LIMITS.elements} elements`);
    }
  }
}

const newState = (): ScanState => ({ depth: 0, inString: false, escaped: false });

export function spendBudget(text: string, budget: JsonBudget): void {
  spendRange(text, 0, text.length, budget, newState());
}

/** Text is scanned (and HTML tokenized) a slice at a time, letting other requests run in between. */
export const SLICE = 256 * 1024;
export const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

async function spendBudgetInSlices(text: string, budget: JsonBudget): Promise<void> {
  const st = newState();
  for (let i = 0; i < text.length; i += SLICE) {
    spendRange(text, i, Math.min(text.length, i + SLICE), budget, st);
    if (i + SLICE < text.length) await yieldToOthers();
  }
}

/** A script block's JSON without the HTML comment or CDATA wrapper pages put around it. */
export function unwrapScript(text: string): string {
  let s = text.trim();
  const strip = (prefixes: string[], suffixes: string[]) => {
    const p = prefixes.find((x) => s.startsWith(x));
    if (p) s = s.slice(p.length).trimStart();
    const q = suffixes.find((x) => s.endsWith(x));
    if (q) s = s.slice(0, -q.length).trimEnd();
  };
  strip(['<!--'], ['-->']);
  strip(['//<![CDATA[', '<![CDATA['], ['//]]>', ']]>']);
  if (s.endsWith('//')) s = s.slice(0, -2).trimEnd();
  return s;
}

/**
 * Parses JSON within the budget; a retry forgives raw control characters and
 * trailing commas (each replacement is linear: no pattern backtracks).
 */
export function parseLenientJson(text: string, budget: JsonBudget = newBudget()): unknown {
  const body = unwrapScript(text);
  spendBudget(body, budget);
  return parseForgiving(body);
}

/** As parseLenientJson, the budget counted a slice at a time (for documents of megabytes). */
export async function parseLenientJsonInSlices(text: string, budget: JsonBudget): Promise<unknown> {
  const body = unwrapScript(text);
  await spendBudgetInSlices(body, budget);
  return parseForgiving(body);
}

function parseForgiving(body: string): unknown {
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
