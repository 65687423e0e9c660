import type { PartyKind } from '../../generated/prisma/enums';
import { tokenize, type Token } from './text';

/*
 * Which parties a sentence names: by name, alias or slug, folded (accents,
 * case), in any inflected form nameForms() allows (possessives, Turkish case
 * suffixes, Arabic clitics), and people by surname once the draft has named
 * them in full.
 */

export type PartyName = { id: string; slug: string; name: string; kind: PartyKind; aliases: string[] };
export type Mention = { partyId: string; first: number; last: number };

type Entry = { words: string[]; partyId: string };

export class PartyIndex {
  private readonly byFirst = new Map<string, Entry[]>();
  private readonly surnames = new Map<string, string[]>();
  readonly parties = new Map<string, PartyName>();

  constructor(
    parties: PartyName[],
    /** person id → the parties the person is affiliated to */
    readonly affiliations: Map<string, string[]>,
  ) {
    for (const p of parties) {
      this.parties.set(p.id, p);
      const names = new Set([p.name, ...p.aliases, p.slug.replace(/-/g, ' ')]);
      for (const name of names) this.add(tokenize(name).map((t) => t.word), p.id);
      if (p.kind === 'PERSON') {
        const words = tokenize(p.name).map((t) => t.word);
        const surname = words[words.length - 1];
        if (words.length > 1 && surname && surname.length >= 3) this.surnames.set(surname, [...(this.surnames.get(surname) ?? []), p.id]);
      }
    }
  }

  private add(words: string[], partyId: string) {
    // A one-word name of one or two letters ("UN", "AP") is too often a word of its own.
    if (words.length === 0 || (words.length === 1 && words[0]!.length < 3)) return;
    const list = this.byFirst.get(words[0]!) ?? [];
    if (!list.some((e) => e.partyId === partyId && e.words.join(' ') === words.join(' '))) list.push({ words, partyId });
    this.byFirst.set(words[0]!, list);
  }

  /**
   * The parties a sentence names, left to right. `introduced` holds the
   * people the draft has named in full so far; this sentence's full
   * mentions are added to it, so later sentences may use the surname alone.
   */
  mentions(tokens: Token[], introduced: Set<string>): Mention[] {
    const out: Mention[] = [];
    for (let i = 0; i < tokens.length; i += 1) {
      let best: Mention | undefined;
      for (const form of tokens[i]!.forms) {
        for (const e of this.byFirst.get(form) ?? []) {
          const fits = e.words.every((w, k) => tokens[i + k]?.forms.includes(w));
          if (fits && (!best || e.words.length - 1 > best.last - best.first)) best = { partyId: e.partyId, first: i, last: i + e.words.length - 1 };
        }
      }
      if (best) {
        out.push(best);
        if (this.parties.get(best.partyId)?.kind === 'PERSON') introduced.add(best.partyId);
        i = best.last;
        continue;
      }
      const person = tokens[i]!.forms.flatMap((f) => this.surnames.get(f) ?? []).find((id) => introduced.has(id));
      if (person) out.push({ partyId: person, first: i, last: i });
    }
    return out;
  }
}
