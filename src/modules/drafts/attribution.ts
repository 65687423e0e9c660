import type { Stance } from '../../generated/prisma/enums';
import { findCues, negationCount, type Cue, type Lexicon } from './cues';
import type { Mention, PartyIndex } from './mentions';
import { QUOTE_MARKS, type Token } from './text';
import type { Given, Ledger } from './verdict';

/*
 * Who a matched sentence attributes the claim to, and with which stance: a
 * party named next to a reporting cue (the nearest within a few words,
 * before the cue when two are as near), or named outside a quotation.
 * The cue's polarity and a negation of the claim give the stance.
 */

const WINDOW = 8;

function distance(m: Mention, first: number, last: number): number {
  if (m.last < first) return first - m.last;
  if (m.first > last) return m.first - last;
  return Number.POSITIVE_INFINITY;
}

function nearest(mentions: Mention[], first: number, last: number): Mention | undefined {
  let best: Mention | undefined;
  let bestDistance = WINDOW + 1;
  for (const m of mentions) {
    const d = distance(m, first, last);
    if (d < bestDistance || (d === bestDistance && best && m.last < first && best.first > last)) {
      best = m;
      bestDistance = d;
    }
  }
  return best;
}

/** The word ranges between pairs of quotation marks. */
function quotedSpans(sentence: string, tokens: Token[]): { first: number; last: number }[] {
  const marks: number[] = [];
  for (let i = 0; i < sentence.length; i += 1) if (QUOTE_MARKS.test(sentence[i]!)) marks.push(i);
  const spans: { first: number; last: number }[] = [];
  for (let k = 0; k + 1 < marks.length; k += 2) {
    const inside = tokens.filter((t) => t.start > marks[k]! && t.end <= marks[k + 1]!);
    if (inside.length) spans.push({ first: inside[0]!.index, last: inside[inside.length - 1]!.index });
  }
  return spans;
}

/** The party a mention speaks for on this claim: a person speaks for the party they are affiliated to. */
function speaksFor(partyId: string, index: PartyIndex, ledger: Ledger): string {
  if (ledger.stances.has(partyId)) return partyId;
  const parties = index.affiliations.get(partyId) ?? [];
  return parties.find((p) => ledger.stances.has(p)) ?? parties[0] ?? partyId;
}

export type Attribution = { given: Given[]; negated: boolean };

export function attribute(args: {
  sentence: string;
  tokens: Token[];
  mentions: Mention[];
  lexicon: Lexicon;
  claimNegations: number;
  index: PartyIndex;
  ledger: Ledger;
  /** The parties the claim is about: the speaker is looked for among the others first ("Türkiye, İsrail'in … söyledi"). */
  subjects: Set<string>;
}): Attribution {
  const { sentence, tokens, mentions, lexicon, index, ledger } = args;
  const cues = findCues(tokens, lexicon);
  const negations = negationCount(tokens, lexicon, cues);
  // The claim's own wording may hold a negation ("has not upheld"): what counts is whether the sentence differs.
  const negated = (negations + args.claimNegations) % 2 === 1;
  const stanceOf = (polarity: 1 | -1): Stance => ((polarity === 1) !== negated ? 'AFFIRMS' : 'DENIES');
  const speakers = mentions.filter((m) => !cues.some((c) => m.first <= c.last && m.last >= c.first));

  const given = new Map<string, Given>();
  const give = (m: Mention | undefined, cue: Pick<Cue, 'polarity'>) => {
    if (!m) return;
    const partyId = speaksFor(m.partyId, index, ledger);
    const stance = stanceOf(cue.polarity);
    given.set(`${partyId}:${stance}`, { partyId, stance });
  };
  const others = speakers.filter((m) => !args.subjects.has(m.partyId));
  // A party the claim is about, named after the cue, is what is said ("said Israel was violating…"), not who says it.
  const subjectsBefore = (cue: Cue) => (lexicon.speakerAfterCue ? speakers : speakers.filter((m) => m.last < cue.first));
  for (const cue of cues) give(nearest(others, cue.first, cue.last) ?? nearest(subjectsBefore(cue), cue.first, cue.last), cue);
  if (given.size === 0) {
    for (const span of quotedSpans(sentence, tokens)) {
      const outside = speakers.filter((m) => m.last < span.first || m.first > span.last);
      const outsideOthers = outside.filter((m) => !args.subjects.has(m.partyId));
      give(nearest(outsideOthers, span.first, span.last) ?? nearest(outside, span.first, span.last), { polarity: 1 });
    }
  }
  return { given: [...given.values()], negated };
}
