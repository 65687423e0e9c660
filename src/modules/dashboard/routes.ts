import type { Response, Router } from 'express';
import { loadAssets, type Assets } from './assets';

/*
 * The editorial dashboard (`/`): a static page over the public API. Served
 * before authentication — the page holds no data; the browser signs its API
 * calls with the key the editor types in.
 */

// The page runs only its own script and styles; the API key it holds must not leak to other origins.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export function mountDashboard(router: Router): void {
  let assets: Promise<Assets> | undefined;
  const load = () => {
    assets ??= loadAssets().catch((err: unknown) => {
      assets = undefined; // try again on the next request
      throw err;
    });
    return assets;
  };
  const serve = (pick: (a: Assets) => string, type: string) => async (_req: unknown, res: Response) => {
    const body = pick(await load());
    res.type(type).set({ 'Content-Security-Policy': CSP, 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' }).send(body);
  };
  router.get(['/', '/index.html'], serve((a) => a.html, 'html'));
  router.get('/assets/app.js', serve((a) => a.js, 'js'));
  router.get('/assets/app.css', serve((a) => a.css, 'css'));
}
