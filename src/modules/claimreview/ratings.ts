import type { ReviewRating } from '../../generated/prisma/enums';

/**
 * From a ClaimReview's reviewRating to the service's rating scale.
 *
 * The number wins when there is one that makes sense: `ratingValue` placed
 * within `worstRating..bestRating` (schema.org defaults 1..5; numbers may
 * come as strings, with a decimal comma; a reversed scale works too). The
 * position splits in five equal bands. Without a usable number, the label
 * (`alternateName`) is read against the common verdicts in the languages
 * fact-checkers publish in. A label we cannot read becomes DISPUTED: the
 * reviewer took issue with the claim, we cannot say how far, and the label
 * itself is kept verbatim beside it.
 */
export type MappedRating = { rating: ReviewRating; label: string; basis: 'value' | 'label' | 'unrecognised' };

const SCALE: ReviewRating[] = ['UNSUPPORTED', 'MOSTLY_UNSUPPORTED', 'MIXED', 'MOSTLY_SUPPORTED', 'SUPPORTED'];

const LABELS: [ReviewRating, string[]][] = [
  [
    'UNSUPPORTED',
    [
      'false', 'fake', 'totally false', 'wrong', 'incorrect', 'pants on fire', 'four pinocchios', 'hoax', 'fabricated', 'not true', 'untrue',
      'altered', 'manipulated', 'doctored', 'scam', 'baseless', 'unfounded', 'fake news', 'false claim', 'false news',
      'faux', 'fausse', 'infonde', 'infondee', 'montage', 'photomontage', 'truque', 'arnaque',
      'falso', 'falsa', 'falsos', 'falsas', 'bulo', 'mentira', 'manipulado', 'manipulada', 'trucado', 'inventado', 'fraude', 'estafa', 'infundado',
      'falsch', 'fake-news', 'erfunden', 'manipuliert', 'frei erfunden',
      'errado', 'mentiroso', 'fabricado', 'montagem',
      'sbagliato', 'bufala', 'inventato', 'nep', 'onwaar', 'yanlis', 'sahte', 'fals', 'fałsz', 'falsz', 'неправда', 'фейк',
      'juridiquement faux', 'asilsiz', 'uydurma', 'زائف', 'خطأ', 'كاذب', 'مفبرك', 'ملفق', 'फ़र्ज़ी', 'फर्जी', 'झूठ', 'गलत', 'ग़लत', 'ভুয়া', 'মিথ্যা', 'ভুল',
    ],
  ],
  [
    'MOSTLY_UNSUPPORTED',
    [
      'mostly false', 'largely false', 'mostly fake', 'three pinocchios', 'misleading', 'out of context', 'exaggerated', 'exaggeration', 'distorted',
      'plutot faux', 'trompeur', 'trompeuse', 'hors contexte', 'sorti de son contexte', 'exagere', 'deforme',
      'mayormente falso', 'casi falso', 'enganoso', 'enganosa', 'sacado de contexto', 'fuera de contexto', 'descontextualizado', 'exagerado', 'distorsionado',
      'uberwiegend falsch', 'grosstenteils falsch', 'irrefuhrend', 'aus dem kontext gerissen', 'ubertrieben', 'verzerrt',
      'fuorviante', 'impreciso', 'distorcido', 'misleidend', 'yaniltici', 'cogunlukla yanlis', 'baglamindan koparilmis', 'مضلل', 'خارج السياق', 'भ्रामक', 'বিভ্রান্তিকর',
    ],
  ],
  [
    'MIXED',
    [
      'half true', 'half-true', 'mixture', 'mixed', 'partly false', 'partly true', 'partially false', 'partially true', 'two pinocchios', 'missing context',
      'needs context', 'half truth', 'en partie faux', 'en partie vrai', 'partiellement faux', 'partiellement vrai', 'a nuancer', 'manque de contexte', 'mitige',
      'verdad a medias', 'a medias', 'medio verdadero', 'parcialmente falso', 'parcialmente verdadero', 'parcialmente cierto', 'sin contexto', 'mixto',
      'teilweise falsch', 'teilweise richtig', 'halb wahr', 'fehlender kontext', 'meia verdade', 'em parte', 'parzialmente falso', 'half waar',
      'nao e bem assim', 'yari dogru', 'kismen dogru', 'صحيح جزئيا', 'نصف صحيح', 'आंशिक रूप से सच', 'আংশিক সত্য',
    ],
  ],
  [
    'MOSTLY_SUPPORTED',
    [
      'mostly true', 'largely true', 'mostly correct', 'largely accurate', 'mostly accurate', 'one pinocchio', 'plutot vrai', 'globalement vrai',
      'mayormente verdadero', 'casi verdadero', 'mayormente cierto', 'overwiegend richtig', 'uberwiegend richtig', 'weitgehend richtig', 'quase verdadeiro',
      'cogunlukla dogru', 'صحيح غالبا',
    ],
  ],
  [
    'SUPPORTED',
    [
      'true', 'correct', 'accurate', 'geppetto checkmark', 'verified', 'vrai', 'exact', 'juste', 'verdadero', 'verdadera', 'cierto', 'verdad', 'verificado',
      'wahr', 'richtig', 'stimmt', 'verdadeiro', 'vero', 'corretto', 'waar', 'klopt', 'dogru', 'prawda', 'صحيح', 'सच', 'सही', 'সত্য',
    ],
  ],
  [
    'UNVERIFIABLE',
    [
      'unproven', 'unverified', 'unverifiable', 'no evidence', 'insufficient evidence', 'lacks evidence', 'unsupported by evidence', 'unclear',
      'research in progress', 'inverifiable', 'non verifiable', 'non prouve', 'invérifiable', 'sans preuve', 'pas de preuve', 'incertain',
      'no verificable', 'inverificable', 'sin evidencia', 'sin pruebas', 'no comprobado', 'sin fundamento', 'dudoso',
      'unbelegt', 'nicht belegt', 'unbewiesen', 'unklar', 'nicht uberprufbar', 'sem provas', 'inverificavel', 'non verificabile', 'onbewezen',
      'insustentavel', 'kanitlanamadi', 'dogrulanamadi', 'غير مؤكد', 'অসমর্থিত',
    ],
  ],
];

/** Lowercase, accents and surrounding punctuation off, spaces collapsed. */
export function foldLabel(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ı/g, 'i')
    .replace(/ß/g, 'ss')
    .replace(/[«»"“”„'’‘`*]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')
    .trim();
}

const BY_LABEL = new Map<string, ReviewRating>();
for (const [rating, labels] of LABELS) for (const l of labels) BY_LABEL.set(foldLabel(l), rating);

/** The rating a label names, read whole or by its first clause ("Faux. Ce communiqué…" → UNSUPPORTED). */
export function ratingFromLabel(label: string): ReviewRating | null {
  const whole = foldLabel(label);
  const first = foldLabel(whole.split(/[.:;!?(\u2013\u2014]| - |, /)[0] ?? '');
  return BY_LABEL.get(whole) ?? BY_LABEL.get(first) ?? null;
}

export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const s = value.trim().replace(',', '.');
  return /^[+-]?\d+(\.\d+)?$/.test(s) ? Number(s) : null;
}

export function ratingFromValue(value: unknown, worst: unknown, best: unknown): ReviewRating | null {
  const v = toNumber(value);
  const lo = toNumber(worst) ?? 1;
  const hi = toNumber(best) ?? 5;
  if (v === null || lo === hi) return null;
  const p = (v - lo) / (hi - lo);
  if (p < 0 || p > 1) return null;
  // Five equal bands: on a 1..5 scale 1, 2, 3, 4, 5 land on the five ratings; on 0..5 a 1 is still "false".
  if (p <= 0.2) return SCALE[0]!;
  if (p <= 0.4) return SCALE[1]!;
  if (p < 0.6) return SCALE[2]!;
  if (p < 0.8) return SCALE[3]!;
  return SCALE[4]!;
}

export function mapRating(r: { ratingValue?: unknown; worstRating?: unknown; bestRating?: unknown; label: string | null }): MappedRating {
  const byValue = ratingFromValue(r.ratingValue, r.worstRating, r.bestRating);
  const label = r.label ?? (toNumber(r.ratingValue) !== null ? `${String(r.ratingValue).trim()}/${toNumber(r.bestRating) ?? 5}` : 'unrated');
  if (byValue) return { rating: byValue, label, basis: 'value' };
  const byLabel = r.label ? ratingFromLabel(r.label) : null;
  if (byLabel) return { rating: byLabel, label, basis: 'label' };
  return { rating: 'DISPUTED', label, basis: 'unrecognised' };
}
