type Named = { party: { name: string }; speaker: { name: string } | null };
type Grouped<T> = { affirms: T[]; denies: T[]; questions: T[]; retracts: T[] };

/** One language's wording: `n` is how many parties hold the position (singular or plural verb). */
type Wording = {
  rtl?: boolean;
  and: string;
  comma: string;
  clauses: string;
  lead: { affirms: Phrase; denies: Phrase; questions: Phrase; retracts: Phrase };
  also: { denies: Phrase; questions: Phrase; disputes: Phrase; retracts: Phrase };
};
type Phrase = (who: string, n: number, s?: string) => string;
const pl = (n: number, one: string, many: string) => (n === 1 ? one : many);

const WORDINGS: Record<string, Wording> = {
  en: {
    and: ' and ', comma: ', ', clauses: '; ',
    lead: {
      affirms: (w, n, s) => `${w} ${pl(n, 'says', 'say')} ${s}`,
      denies: (w, n, s) => `${w} ${pl(n, 'denies', 'deny')} that ${s}`,
      questions: (w, n, s) => `${w} ${pl(n, 'questions', 'question')} whether ${s}`,
      retracts: (w, n, s) => `${w} ${pl(n, 'has', 'have')} retracted the claim that ${s}`,
    },
    also: {
      denies: (w, n) => `${w} ${pl(n, 'denies', 'deny')} this`,
      questions: (w, n) => `${w} ${pl(n, 'questions', 'question')} this`,
      disputes: (w, n) => `${w} ${pl(n, 'disputes', 'dispute')} this`,
      retracts: (w, n) => `${w} ${pl(n, 'has', 'have')} retracted it`,
    },
  },
  tr: {
    and: ' ve ', comma: ', ', clauses: '; ',
    lead: {
      affirms: (w, n, s) => `${w} ${pl(n, 'şunu söylüyor', 'şunu söylüyorlar')}: ${s}`,
      denies: (w, n, s) => `${w} ${pl(n, 'şunu reddediyor', 'şunu reddediyorlar')}: ${s}`,
      questions: (w, n, s) => `${w} ${pl(n, 'şunu sorguluyor', 'şunu sorguluyorlar')}: ${s}`,
      retracts: (w, n, s) => `${w} ${pl(n, 'şu iddiayı geri çekti', 'şu iddiayı geri çektiler')}: ${s}`,
    },
    also: {
      denies: (w, n) => `${w} ${pl(n, 'bunu reddediyor', 'bunu reddediyorlar')}`,
      questions: (w, n) => `${w} ${pl(n, 'bunu sorguluyor', 'bunu sorguluyorlar')}`,
      disputes: (w, n) => `${w} ${pl(n, 'buna itiraz ediyor', 'buna itiraz ediyorlar')}`,
      retracts: (w, n) => `${w} ${pl(n, 'bunu geri çekti', 'bunu geri çektiler')}`,
    },
  },
  // Verb first, and singular before its subjects, as Arabic has it.
  ar: {
    rtl: true, and: ' و', comma: '، ', clauses: '؛ ',
    lead: {
      affirms: (w, _n, s) => `يقول ${w} إن ${s}`,
      denies: (w, _n, s) => `ينفي ${w} أن ${s}`,
      questions: (w, _n, s) => `يشكك ${w} في أن ${s}`,
      retracts: (w, _n, s) => `سحب ${w} الادعاء بأن ${s}`,
    },
    also: {
      denies: (w) => `وينفي ${w} ذلك`,
      questions: (w) => `ويشكك ${w} في ذلك`,
      disputes: (w) => `ويعترض ${w} على ذلك`,
      retracts: (w) => `وقد سحب ${w} ذلك`,
    },
  },
  fr: {
    and: ' et ', comma: ', ', clauses: ' ; ',
    lead: {
      affirms: (w, n, s) => `${w} ${pl(n, 'affirme', 'affirment')} que ${s}`,
      denies: (w, n, s) => `${w} ${pl(n, 'nie', 'nient')} que ${s}`,
      questions: (w, n, s) => `${w} ${pl(n, 'met', 'mettent')} en doute que ${s}`,
      retracts: (w, n, s) => `${w} ${pl(n, 'a', 'ont')} retiré l’affirmation selon laquelle ${s}`,
    },
    also: {
      denies: (w, n) => `${w} le ${pl(n, 'nie', 'nient')}`,
      questions: (w, n) => `${w} le ${pl(n, 'met', 'mettent')} en doute`,
      disputes: (w, n) => `${w} le ${pl(n, 'conteste', 'contestent')}`,
      retracts: (w, n) => `${w} l’${pl(n, 'a', 'ont')} retiré`,
    },
  },
  es: {
    and: ' y ', comma: ', ', clauses: '; ',
    lead: {
      affirms: (w, n, s) => `${w} ${pl(n, 'afirma', 'afirman')} que ${s}`,
      denies: (w, n, s) => `${w} ${pl(n, 'niega', 'niegan')} que ${s}`,
      questions: (w, n, s) => `${w} ${pl(n, 'cuestiona', 'cuestionan')} que ${s}`,
      retracts: (w, n, s) => `${w} ${pl(n, 'ha', 'han')} retirado la afirmación de que ${s}`,
    },
    also: {
      denies: (w, n) => `${w} lo ${pl(n, 'niega', 'niegan')}`,
      questions: (w, n) => `${w} lo ${pl(n, 'cuestiona', 'cuestionan')}`,
      disputes: (w, n) => `${w} lo ${pl(n, 'disputa', 'disputan')}`,
      retracts: (w, n) => `${w} lo ${pl(n, 'ha', 'han')} retirado`,
    },
  },
  de: {
    and: ' und ', comma: ', ', clauses: '; ',
    lead: {
      affirms: (w, n, s) => `${w} ${pl(n, 'sagt', 'sagen')}: ${s}`,
      denies: (w, n, s) => `${w} ${pl(n, 'bestreitet', 'bestreiten')}: ${s}`,
      questions: (w, n, s) => `${w} ${pl(n, 'bezweifelt', 'bezweifeln')}: ${s}`,
      retracts: (w, n, s) => `${w} ${pl(n, 'hat', 'haben')} die Behauptung zurückgezogen: ${s}`,
    },
    also: {
      denies: (w, n) => `${w} ${pl(n, 'bestreitet', 'bestreiten')} dies`,
      questions: (w, n) => `${w} ${pl(n, 'bezweifelt', 'bezweifeln')} dies`,
      disputes: (w, n) => `${w} ${pl(n, 'widerspricht', 'widersprechen')} dem`,
      retracts: (w, n) => `${w} ${pl(n, 'hat', 'haben')} sie zurückgezogen`,
    },
  },
};

/** The wording for a BCP 47 tag ("tr-TR" reads as Turkish); English when there is none for it. */
export function wordingFor(language: string | null | undefined): Wording {
  const primary = (language ?? 'en').split('-')[0]!.toLowerCase();
  return WORDINGS[primary] ?? WORDINGS.en!;
}

const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const LTR = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]/u;

/**
 * Names and statements keep their own script. One written in the other
 * direction than the sentence around it is isolated (FSI … PDI), so that a
 * Latin name in an Arabic line, or an Arabic statement in an English one,
 * neither reorders nor drags the punctuation after it.
 */
function isolated(text: string, rtl: boolean): string {
  return (rtl ? LTR : RTL).test(text) ? `\u2068${text}\u2069` : text;
}

/** "Türkiye (Hakan Fidan)"; a speaker who is the party itself is named once. */
function who(p: Named, rtl: boolean): string {
  const party = isolated(p.party.name, rtl);
  return p.speaker && p.speaker.name !== p.party.name ? `${party} (${isolated(p.speaker.name, rtl)})` : party;
}

function list(names: string[], w: Wording): string {
  const unique = [...new Set(names)];
  if (unique.length <= 1) return unique.join('');
  return `${unique.slice(0, -1).join(w.comma)}${w.and}${unique[unique.length - 1]}`;
}

/**
 * The one line a journalist can paste, in the claim's language: it always
 * says who holds which position, so the statement never reads as a fact.
 * e.g. "Türkiye (Hakan Fidan) says Israel is regularly violating the Gaza
 * ceasefire; Israel disputes this."
 */
export function attributedSummary(statement: string, positions: Grouped<Named>, counteringParties: string[], language?: string | null): string {
  const w = wordingFor(language);
  const rtl = w.rtl ?? false;
  const s = isolated(statement.trim().replace(/[.!?。؟۔]+$/u, ''), rtl);
  const parties = (ps: Named[]) => new Set(ps.map((p) => p.party.name)).size;
  const names = (ps: Named[]) => list(ps.map((p) => who(p, rtl)), w);
  const { affirms, denies, questions, retracts } = positions;
  const lead = affirms.length ? 'affirms' : denies.length ? 'denies' : questions.length ? 'questions' : 'retracts';
  const clauses = [w.lead[lead](names(positions[lead]), parties(positions[lead]), s)];
  if (lead !== 'denies' && denies.length) clauses.push(w.also.denies(names(denies), parties(denies)));
  if (lead !== 'questions' && questions.length) clauses.push(w.also.questions(names(questions), parties(questions)));
  const opposing = new Set([...denies, ...questions].map((p) => p.party.name));
  const disputing = [...new Set(counteringParties)].filter((n) => !opposing.has(n));
  if (disputing.length) clauses.push(w.also.disputes(list(disputing.map((n) => isolated(n, rtl)), w), disputing.length));
  if (lead !== 'retracts' && retracts.length) clauses.push(w.also.retracts(names(retracts), parties(retracts)));
  return `${clauses.join(w.clauses)}.`;
}
