// Bundles bench/worker.mjs with esbuild (as scripts/build.mjs bundles the server) into bench/.work/worker.cjs.
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const workDir = path.join(benchDir, '.work');
export const workerCjs = path.join(workDir, 'worker.cjs');

export async function buildWorker() {
  mkdirSync(workDir, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(benchDir, 'worker.mjs')],
    outfile: workerCjs,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    logLevel: 'warning',
    // scripts/guidelineDraft.ts writes fixtures when run as a script; inside the bundle it never is.
    define: { 'require.main': 'undefined' },
  });
  return workerCjs;
}
