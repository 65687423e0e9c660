import type { BuildOptions } from 'esbuild';

/** True when this module runs from `dist/` (compiled by tsc), false from the sources (tsx, jest). */
export const runsCompiled = (filename: string) => filename.endsWith('.js');

/** One entry point bundled by esbuild in memory (esbuild is loaded only when something is bundled). */
export async function bundleInMemory(entry: string, options: Omit<BuildOptions, 'entryPoints' | 'bundle' | 'write'>): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({ entryPoints: [entry], bundle: true, write: false, logLevel: 'silent', ...options });
  return result.outputFiles[0]!.text;
}
