import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config/config';
import type { LockHolder } from '../../db/data-dir-lock';
import type { ImportReport } from './service';

/*
 * `npm run import` while a server holds the embedded data folder: the files
 * go to that server's POST /v1/imports/claimreview instead, with
 * ADMIN_API_KEY or the demo admin key kept beside the folder.
 */
async function adminKeyFor(config: Config): Promise<string | undefined> {
  if (config.adminApiKey) return config.adminApiKey;
  const file = `${path.resolve(config.dataDir)}.admin-key`;
  return existsSync(file) ? (await readFile(file, 'utf8')).trim() : undefined;
}

export async function importViaServer(config: Config, holder: LockHolder & { url: string }, file: string): Promise<ImportReport> {
  const key = await adminKeyFor(config);
  if (!key) throw new Error(`the server at ${holder.url} (pid ${holder.pid}) holds ${config.dataDir}; set ADMIN_API_KEY to a key with the REVIEWER role to import through it`);
  const html = /\.html?$/i.test(file);
  const res = await fetch(`${holder.url}/v1/imports/claimreview`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': html ? 'text/html; charset=utf-8' : 'application/ld+json' },
    body: await readFile(file),
  });
  const body = (await res.json()) as ImportReport & { type?: string; detail?: string; errors?: { path: string; message: string }[] };
  if (body.type === '/problems/no-claimreview') {
    const items = (body.errors ?? []).map((e) => ({ at: e.path, status: 'rejected' as const, reason: e.message }));
    return { summary: { found: 0, imported: 0, duplicate: 0, rejected: items.length }, items };
  }
  if (!res.ok) throw new Error(`the server at ${holder.url} answered ${res.status}: ${body.detail ?? JSON.stringify(body)}`);
  return body;
}
