import { z } from 'zod';

/*
 * Strings from the outside world are stored exactly as given (quotes must
 * match their sources to the code point), so nothing is normalised here.
 * What is refused: NUL (PostgreSQL text cannot hold it), lone UTF-16
 * surrogates (they would be silently replaced by U+FFFD on the way to the
 * database, changing the quote), and strings beyond a sane size.
 */
const hasNul = (s: string) => s.includes('\u0000');

export function text(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !hasNul(s), 'must not contain NUL characters')
    .refine((s) => s.isWellFormed(), 'must be well-formed Unicode (no lone surrogates)');
}

/** A human-facing label: trimmed and non-empty. */
export function label(max: number) {
  return text(max)
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, 'must not be blank');
}

export const slugSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens');

export const topicSchema = slugSchema.describe('topic slug, e.g. ceasefire-violations');

export const uuidSchema = z.uuid({ message: 'must be a UUID' });

/** BCP 47 language tag (syntax only). */
export const languageSchema = z
  .string()
  .max(35)
  .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en or tr-TR');

export const countrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as TR');

export const urlSchema = text(2048).refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL');

const DAY_FORM = 'a date as YYYY-MM-DD (2025-11-03)';

/** A calendar date; any other form (03/11/2025, 3 Nov 2025) is refused naming the one accepted. */
export const daySchema = z.iso.date(`must be ${DAY_FORM}`);

/** An instant (ISO 8601 with offset) or a calendar date; the message names both forms. */
export const dateOrInstantSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: `must be ${DAY_FORM} or an ISO 8601 instant with its offset (2025-11-03T10:15:00+03:00, 2025-11-03T07:15:00Z)`,
});

/** Derives a url-safe slug from a display name: "Türkiye" → "turkiye". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ı/g, 'i')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
}
