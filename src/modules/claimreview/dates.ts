/**
 * Dates as fact-checkers publish them. ISO 8601 is the exception more than
 * the rule: "2022-01-28 18:35", "28/01/2022", "28.01.2022", "28 janvier 2022",
 * "January 28, 2022". A date without a time keeps day precision; a time
 * without an offset is read as UTC (the page gives no better guess).
 */
export type LooseDate = { iso: string; precision: 'DAY' | 'INSTANT' };

const MONTHS: Record<string, number> = {};
const MONTH_NAMES = [
  // en, fr, es, de, pt, it (and common abbreviations)
  ['january', 'jan', 'janvier', 'janv', 'enero', 'ene', 'januar', 'janeiro', 'gennaio', 'gen'],
  ['february', 'feb', 'fevrier', 'fevr', 'fev', 'febrero', 'februar', 'fevereiro', 'febbraio'],
  ['march', 'mar', 'mars', 'marzo', 'marz', 'marco'],
  ['april', 'apr', 'avril', 'avr', 'abril', 'abr', 'aprile'],
  ['may', 'mai', 'mayo', 'maio', 'maggio', 'mag'],
  ['june', 'jun', 'juin', 'junio', 'juni', 'junho', 'giugno', 'giu'],
  ['july', 'jul', 'juillet', 'juil', 'julio', 'juli', 'julho', 'luglio', 'lug'],
  ['august', 'aug', 'aout', 'agosto', 'ago'],
  ['september', 'sep', 'sept', 'septembre', 'septiembre', 'setiembre', 'setembro', 'settembre', 'set'],
  ['october', 'oct', 'octobre', 'octubre', 'oktober', 'okt', 'outubro', 'out', 'ottobre', 'ott'],
  ['november', 'nov', 'novembre', 'noviembre', 'novembro'],
  ['december', 'dec', 'decembre', 'diciembre', 'dic', 'dezember', 'dez', 'dezembro', 'dicembre'],
];
MONTH_NAMES.forEach((names, i) => names.forEach((n) => (MONTHS[n] = i + 1)));

const pad = (n: number) => String(n).padStart(2, '0');

function day(y: number, m: number, d: number): LooseDate | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return { iso: `${y}-${pad(m)}-${pad(d)}`, precision: 'DAY' };
}

function instant(value: string): LooseDate | null {
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : { iso: new Date(t).toISOString(), precision: 'INSTANT' };
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** Parses what it can; anything unrecognisable, or implausible (before 1900, in the future), is null. */
export function parseLooseDate(input: unknown, now = Date.now()): LooseDate | null {
  if (typeof input !== 'string' && typeof input !== 'number') return null;
  const value = String(input).trim();
  const parsed = parse(value);
  if (!parsed) return null;
  const t = Date.parse(parsed.precision === 'DAY' ? `${parsed.iso}T00:00:00Z` : parsed.iso);
  if (t < Date.UTC(1900, 0, 1) || t > now + 86_400_000) return null;
  return parsed;
}

function parse(value: string): LooseDate | null {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (m) return day(+m[1]!, +m[2]!, +m[3]!);
  // ISO-like with a time: "2022-01-28T18:35:00+01:00", "2022-01-28 18:35" (no offset: UTC)
  m = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(value);
  if (m) {
    const offset = m[6] ? (m[6].toUpperCase() === 'Z' ? 'Z' : m[6].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : 'Z';
    return instant(`${m[1]}T${pad(+m[2]!)}:${m[3]}:${m[4] ?? '00'}${m[5] ?? ''}${offset}`);
  }
  // Numeric day first, as most of the world writes it; month first only when the day cannot be a month.
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ ,T]+(\d{1,2}):(\d{2}))?$/.exec(value);
  if (m) {
    let [d, mo] = [+m[1]!, +m[2]!];
    if (mo > 12 && d <= 12) [d, mo] = [mo, d];
    const date = day(+m[3]!, mo, d);
    if (!date || m[4] === undefined) return date;
    return instant(`${date.iso}T${pad(+m[4])}:${m[5]}:00Z`);
  }
  const words = fold(value).replace(/[,.]/g, ' ').replace(/\b(de|del|le|the|of)\b/g, ' ').split(/\s+/).filter(Boolean);
  // "28 janvier 2022", "28 de enero de 2022", "1er mars 2022"
  m = words.length === 3 ? /^(\d{1,2})(?:er|st|nd|rd|th|o|º)?$/.exec(words[0]!) : null;
  if (m && MONTHS[words[1]!] && /^\d{4}$/.test(words[2]!)) return day(+words[2]!, MONTHS[words[1]!]!, +m[1]!);
  // "January 28, 2022"
  m = words.length === 3 ? /^(\d{1,2})(?:st|nd|rd|th)?$/.exec(words[1]!) : null;
  if (m && MONTHS[words[0]!] && /^\d{4}$/.test(words[2]!)) return day(+words[2]!, MONTHS[words[0]!]!, +m[1]!);
  // Whatever else JavaScript understands with an explicit time zone (RFC 2822 and the like).
  return /\d{4}/.test(value) && /(Z|GMT|UTC|[+-]\d{2}:?\d{2})$/i.test(value) ? instant(value) : null;
}
