import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/*
 * The ClaimReview corpus (fixtures/claimreview/corpus): fact-check pages in
 * the shapes real fact-checkers publish, each with what its import must keep.
 * The four samples in shared/claimreview-samples join them when present.
 */

export type ExpectedReview = {
  claimants: string[];
  reviewer: string;
  byline: string | null;
  label?: string;
  /** For a label too long to repeat here. */
  labelStartsWith?: string;
  rating?: string;
};

type ManifestPage = { file: string; factChecker: string; language: string; contentType?: string; shape: string; reviews: ExpectedReview[] };

export type CorpusPage = ManifestPage & { origin: 'corpus' | 'shared'; path: string; contentType: string };

export const CORPUS_DIR = path.resolve(__dirname, '../../fixtures/claimreview/corpus');
/** shared/ beside the clone (as CI has it); CLAIMREVIEW_SAMPLES names another place, relative to the repository. */
export const SHARED_DIR = path.resolve(__dirname, '../..', process.env.CLAIMREVIEW_SAMPLES ?? '../shared/claimreview-samples');

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.jsonld': 'application/ld+json' };

function readManifest(file: string, dir: string, origin: CorpusPage['origin']): CorpusPage[] {
  const manifest = JSON.parse(readFileSync(path.join(CORPUS_DIR, file), 'utf8')) as { pages: ManifestPage[] };
  return manifest.pages.map((p) => ({ ...p, origin, path: path.join(dir, p.file), contentType: p.contentType ?? TYPES[path.extname(p.file)]! }));
}

export const corpusPages = () => readManifest('manifest.json', CORPUS_DIR, 'corpus');
export const sharedSamplesPresent = () => existsSync(SHARED_DIR);
export const sharedPages = () => readManifest('shared-samples.json', SHARED_DIR, 'shared');

type Party = { name: string };
export type Dossier = {
  language: string | null;
  positions: { affirms: { party: Party }[] };
  reviews: { id: string; reviewer: Party; byline: Party | null; ratingLabel: string; rating: string }[];
};

export type Observed = { claimants: string[]; reviewer: string | null; byline: string | null; label: string | null; rating: string | null; language: string | null };

export function observe(claim: Dossier, reviewId: string): Observed {
  const review = claim.reviews.find((r) => r.id === reviewId);
  return {
    claimants: claim.positions.affirms.map((p) => p.party.name).sort(),
    reviewer: review?.reviewer.name ?? null,
    byline: review?.byline?.name ?? null,
    label: review?.ratingLabel ?? null,
    rating: review?.rating ?? null,
    language: claim.language,
  };
}

export type Kept = { page: CorpusPage; expected: ExpectedReview; claimant: boolean; organisation: boolean; byline: boolean; label: boolean; rating: boolean; language: boolean };

const primary = (tag: string | null) => tag?.toLowerCase().split('-')[0] ?? null;

export function kept(page: CorpusPage, expected: ExpectedReview, seen: Observed): Kept {
  return {
    page,
    expected,
    claimant: JSON.stringify([...expected.claimants].sort()) === JSON.stringify(seen.claimants),
    organisation: seen.reviewer === expected.reviewer,
    byline: seen.byline === expected.byline,
    label: expected.labelStartsWith ? !!seen.label?.startsWith(expected.labelStartsWith) : seen.label === expected.label,
    rating: !expected.rating || seen.rating === expected.rating,
    language: primary(seen.language) === page.language,
  };
}

const FIELDS = ['claimant', 'organisation', 'byline', 'label', 'rating', 'language'] as const;

/** The share kept, as the closing note gives it. */
export function shareReport(results: Kept[]): string {
  const pages = new Set(results.map((r) => r.page.path));
  const own = new Set(results.filter((r) => r.page.origin === 'corpus').map((r) => r.page.path));
  const checkers = new Set(results.map((r) => r.page.factChecker));
  const languages = new Set(results.map((r) => r.page.language));
  const signed = results.filter((r) => r.expected.byline);
  const lines = [
    `ClaimReview corpus: ${pages.size} pages (${own.size} own, ${pages.size - own.size} shared samples), ${results.length} reviews, ${checkers.size} fact-checkers, ${languages.size} languages (${[...languages].sort().join(', ')})`,
    ...FIELDS.map((f) => {
      const n = results.filter((r) => r[f]).length;
      return `  ${f.padEnd(12)} kept ${n}/${results.length} (${((100 * n) / Math.max(1, results.length)).toFixed(1)}%)`;
    }),
    `  byline on signed pages: ${signed.filter((r) => r.byline).length}/${signed.length}`,
  ];
  const lost = results.filter((r) => FIELDS.some((f) => !r[f]));
  for (const r of lost) lines.push(`  lost on ${r.page.file}: ${FIELDS.filter((f) => !r[f]).join(', ')}`);
  return lines.join('\n');
}
