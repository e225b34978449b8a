// Bundles the extension client, the language server and the CLI with esbuild,
// and copies the kuromoji dictionary next to the bundles (found by explicit path at run time).
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--outdir DIR` builds elsewhere than dist/ (e.g. to measure a change without replacing the dist/ others use).
const outdirArg = process.argv.indexOf('--outdir');
const outdir = outdirArg >= 0 ? resolve(process.argv[outdirArg + 1] ?? 'dist') : join(root, 'dist');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = [
  { entryPoints: [join(root, 'client/src/extension.ts')], outfile: join(outdir, 'client.js'), external: ['vscode'] },
  { entryPoints: [join(root, 'server/src/server.ts')], outfile: join(outdir, 'server.js') },
  { entryPoints: [join(root, 'server/src/cli/main.ts')], outfile: join(outdir, 'cli.js'), banner: { js: '#!/usr/bin/env node' } },
];

function copyDictionary() {
  const from = join(root, 'node_modules/kuromoji/dict');
  const to = join(outdir, 'dict');
  if (!existsSync(from)) throw new Error(`kuromoji dictionary not found at ${from}`);
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  cpSync(from, to, { recursive: true });
}

if (watch) {
  copyDictionary();
  for (const b of builds) {
    const ctx = await esbuild.context({ ...common, ...b });
    await ctx.watch();
  }
} else {
  const started = Date.now();
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
  copyDictionary();
  console.log(`built ${outdir === join(root, 'dist') ? 'dist/' : outdir} in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
