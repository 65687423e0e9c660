import { get, type ClaimSummary, type Page } from '../api';
import { h } from '../dom';
import { contestationBadge, positionLine } from '../ui';
import { summaryOf } from './assertion-form';
import { combobox } from './combobox';

/** Choosing another claim of the ledger by its words (GET /v1/claims?q=), each shown with who holds which position. */
export function claimPicker(o: { label: string; path?: string; hint?: string; exclude?: string; onPick?(c: ClaimSummary | null): void }) {
  return combobox<ClaimSummary>({
    label: o.label,
    path: o.path,
    hint: o.hint ?? 'type words of its statement or of a quote',
    search: async (q) => (q ? (await get<Page<ClaimSummary>>('/v1/claims', { q, limit: 8 })).data.filter((c) => c.id !== o.exclude) : []),
    render: (c) => h('span', null, contestationBadge(c.contestation), ' ', h('span', { dir: 'auto' }, c.statement), positionLine(summaryOf(c.positions))),
    text: (c) => c.statement,
    onPick: o.onPick,
  });
}
