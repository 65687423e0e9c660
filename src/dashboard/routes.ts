import type { Role } from './api';
import type { View } from './context';
import { adminView } from './views/admin';
import { claimView } from './views/claim';
import { draftView } from './views/draft';
import { graphView } from './views/graph';
import { newPartyView, partiesView, partyView } from './views/parties';
import { queueView } from './views/queue';
import { newReviewView, reviewView } from './views/review';
import { searchView } from './views/search';
import { newSourceView, sourcesView } from './views/sources';
import { sourceView } from './views/source';
import { statsView } from './views/stats';

/*
 * Every page of the dashboard: its hash path (":name" parts become
 * ctx.params, in order), its title, the nav entry it lights up, and the
 * least role that may open it. A new view is one line here; an entry with
 * `navLabel` also appears in the main navigation, in table order.
 */
export type RouteDef = { path: string; view: View; title: string; nav?: string; navLabel?: string; minRole?: Role };

export const ROUTES: RouteDef[] = [
  { path: 'queue', view: queueView, title: 'Review queue', nav: 'queue', navLabel: 'Queue' },
  { path: 'search', view: searchView, title: 'Search', nav: 'search', navLabel: 'Search' },
  { path: 'sources', view: sourcesView, title: 'Sources', nav: 'sources', navLabel: 'Sources' },
  { path: 'sources/new', view: newSourceView, title: 'New source', nav: 'sources', minRole: 'EDITOR' },
  { path: 'sources/:id', view: sourceView, title: 'Source', nav: 'sources' },
  { path: 'parties', view: partiesView, title: 'Parties', nav: 'parties', navLabel: 'Parties' },
  { path: 'parties/new', view: newPartyView, title: 'New party', nav: 'parties', minRole: 'EDITOR' },
  { path: 'parties/:id', view: partyView, title: 'Party', nav: 'parties' },
  { path: 'claims/:id', view: claimView, title: 'Claim' },
  { path: 'claims/:id/graph', view: graphView, title: 'Claim graph' },
  { path: 'claims/:id/review', view: newReviewView, title: 'New verdict', minRole: 'REVIEWER' },
  { path: 'reviews/:id', view: reviewView, title: 'Verdict' },
  { path: 'draft', view: draftView, title: 'Check a draft', nav: 'draft', navLabel: 'Check a draft' },
  { path: 'stats', view: statsView, title: 'Statistics', nav: 'stats', navLabel: 'Stats' },
  { path: 'admin', view: adminView, title: 'Administration', nav: 'admin', navLabel: 'Admin', minRole: 'ADMIN' },
];

/** The route for the hash path parts, and its parameters; the empty path is the queue. */
export function matchRoute(parts: string[]): { route: RouteDef; params: string[] } | null {
  const wanted = parts.length ? parts : ['queue'];
  for (const route of ROUTES) {
    const pattern = route.path.split('/');
    if (pattern.length !== wanted.length) continue;
    const params: string[] = [];
    if (pattern.every((p, i) => (p.startsWith(':') ? (params.push(wanted[i]!), true) : p === wanted[i]))) return { route, params };
  }
  return null;
}
