import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fold, type Token } from './text';

/*
 * Reporting cues and negations, as data (fixtures/draft-cues/<lang>.json,
 * documented in the README there): a desk extends a lexicon without code.
 */

export const CUES_DIR = process.env.DRAFT_CUES_DIR ?? path.resolve(__dirname, '../../../fixtures/draft-cues');

const lexiconFile = z.strictObject({
  language: z.string().min(2),
  affirming: z.array(z.string().min(1)),
  denying: z.array(z.string().min(1)),
  negations: z.array(z.string().min(1)),
  /** The reported speaker may follow the cue even when the claim is about them (verb-first order: "نفت إسرائيل"). */
  speakerAfterCue: z.boolean().optional(),
});

type Pattern = (word: string) => boolean;
type Phrase = Pattern[];
export type Lexicon = { affirming: Phrase[]; denying: Phrase[]; negations: Phrase[]; speakerAfterCue: boolean };

function pattern(raw: string): Pattern {
  const w = fold(raw);
  const head = w.startsWith('*');
  const tail = w.endsWith('*') && w.length > 1;
  const core = w.replace(/^\*|\*$/g, '');
  if (head && tail) return (x) => x.includes(core) && x !== core;
  if (head) return (x) => x.endsWith(core) && x.length > core.length;
  if (tail) return (x) => x.startsWith(core);
  return (x) => x === core;
}

const phrase = (entry: string): Phrase => entry.trim().split(/\s+/u).map(pattern);

function compile(file: z.infer<typeof lexiconFile>): Lexicon {
  return { affirming: file.affirming.map(phrase), denying: file.denying.map(phrase), negations: file.negations.map(phrase), speakerAfterCue: file.speakerAfterCue ?? false };
}

let loaded: Map<string, Lexicon> | undefined;

/** Every lexicon in the folder, by language; read once. A malformed file stops the service at start-up, not mid-request. */
export function lexicons(): Map<string, Lexicon> {
  if (loaded) return loaded;
  const out = new Map<string, Lexicon>();
  for (const name of readdirSync(CUES_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const parsed = lexiconFile.safeParse(JSON.parse(readFileSync(path.join(CUES_DIR, name), 'utf8')));
    if (!parsed.success) throw new Error(`draft cue lexicon ${name} is malformed: ${parsed.error.message}`);
    out.set(parsed.data.language.toLowerCase(), compile(parsed.data));
  }
  loaded = out;
  return out;
}

/** The lexicon for a language; all of them together for a language that has none of its own. */
export function lexiconFor(language: string): Lexicon {
  const all = lexicons();
  const own = all.get(language.toLowerCase().split('-')[0]!);
  if (own) return own;
  const merged: Lexicon = { affirming: [], denying: [], negations: [], speakerAfterCue: false };
  for (const l of all.values()) {
    merged.affirming.push(...l.affirming);
    merged.denying.push(...l.denying);
    merged.negations.push(...l.negations);
  }
  return merged;
}

export type Hit = { first: number; last: number };

function matchesAt(tokens: Token[], at: number, p: Phrase): boolean {
  if (at + p.length > tokens.length) return false;
  return p.every((test, k) => tokens[at + k]!.forms.some(test));
}

/** Where phrases of a list occur, by word index, without overlaps (the longest phrase wins). */
export function findPhrases(tokens: Token[], phrases: Phrase[]): Hit[] {
  const sorted = [...phrases].sort((a, b) => b.length - a.length);
  const hits: Hit[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const p = sorted.find((ph) => matchesAt(tokens, i, ph));
    if (!p) continue;
    hits.push({ first: i, last: i + p.length - 1 });
    i += p.length - 1;
  }
  return hits;
}

export type Cue = Hit & { polarity: 1 | -1 };

export function findCues(tokens: Token[], lexicon: Lexicon): Cue[] {
  const denying = findPhrases(tokens, lexicon.denying).map((h) => ({ ...h, polarity: -1 as const }));
  const taken = new Set(denying.flatMap((h) => range(h)));
  const affirming = findPhrases(tokens, lexicon.affirming)
    .filter((h) => !range(h).some((i) => taken.has(i)))
    .map((h) => ({ ...h, polarity: 1 as const }));
  return [...denying, ...affirming].sort((a, b) => a.first - b.first);
}

const range = (h: Hit) => Array.from({ length: h.last - h.first + 1 }, (_, k) => h.first + k);

/**
 * How many negations a text holds: negation words close together count once
 * ("ne … pas", "n'est pas"); words that are part of a cue do not count.
 */
export function negationCount(tokens: Token[], lexicon: Lexicon, cues: Hit[] = []): number {
  const inCue = new Set(cues.flatMap(range));
  const hits = findPhrases(tokens, lexicon.negations).filter((h) => !inCue.has(h.first));
  let count = 0;
  let previous = -10;
  for (const h of hits) {
    if (h.first - previous > 3) count += 1;
    previous = h.last;
  }
  return count;
}
