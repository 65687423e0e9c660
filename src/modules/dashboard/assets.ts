import { promises as fs } from 'node:fs';
import path from 'node:path';
import { bundleInMemory, runsCompiled } from '../../shared/bundle';

/*
 * The dashboard's assets: index.html, app.css and app.js (src/dashboard/main.ts
 * bundled by esbuild). Run from the sources (tsx, jest), the bundle is built in
 * memory on first request; the compiled service (dist/) serves what
 * `npm run build` wrote to dist/dashboard, so production needs no bundler.
 */

const ROOT = path.resolve(__dirname, '../../..');
export const SOURCE_DIR = path.join(ROOT, 'src', 'dashboard');
export const BUILD_DIR = path.join(ROOT, 'dist', 'dashboard');

export type Assets = { html: string; css: string; js: string };

export function bundleDashboard(): Promise<string> {
  return bundleInMemory(path.join(SOURCE_DIR, 'main.ts'), {
    format: 'iife',
    target: ['es2020'],
    minify: true,
    legalComments: 'none',
    tsconfig: path.join(SOURCE_DIR, 'tsconfig.json'),
  });
}

async function fromSources(): Promise<Assets> {
  const [html, css, js] = await Promise.all([
    fs.readFile(path.join(SOURCE_DIR, 'index.html'), 'utf8'),
    fs.readFile(path.join(SOURCE_DIR, 'styles.css'), 'utf8'),
    bundleDashboard(),
  ]);
  return { html, css, js };
}

async function fromBuild(): Promise<Assets> {
  const [html, css, js] = await Promise.all(['index.html', 'app.css', 'app.js'].map((f) => fs.readFile(path.join(BUILD_DIR, f), 'utf8')));
  return { html: html!, css: css!, js: js! };
}

/** The compiled service reads the prebuilt assets; the sources bundle on the fly. */
export function loadAssets(): Promise<Assets> {
  return runsCompiled(__filename) ? fromBuild().catch(fromSources) : fromSources();
}

/** `npm run build`: writes the assets next to the compiled service. */
export async function writeDashboard(outDir = BUILD_DIR): Promise<void> {
  const assets = await fromSources();
  await fs.mkdir(outDir, { recursive: true });
  await Promise.all([
    fs.writeFile(path.join(outDir, 'index.html'), assets.html),
    fs.writeFile(path.join(outDir, 'app.css'), assets.css),
    fs.writeFile(path.join(outDir, 'app.js'), assets.js),
  ]);
}
