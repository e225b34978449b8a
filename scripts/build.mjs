// Bundles the extension client, the language server and the CLI with esbuild, copies the kuromoji
// dictionary next to the bundles (found by explicit path at run time) and precomputes the features of the
// catalog texts into it (dict/catalog-features.json, see server/src/service/align/catalogFeatures.ts).
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
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

/**
 * Computes the features of the catalog texts the alignment index needs with the bundled code (the very
 * code the server runs) and writes them beside the dictionary. The catalog changes only with
 * `npm run catalog`; in watch mode this runs once, at the start.
 */
async function precomputeCatalogFeatures() {
  const tmp = mkdtempSync(join(tmpdir(), 'kijun-build-'));
  try {
    const script = join(tmp, 'catalogFeatures.cjs');
    await esbuild.build({
      ...common,
      minify: false,
      sourcemap: false,
      outfile: script,
      stdin: {
        resolveDir: root,
        loader: 'ts',
        contents: `
          import { writeFileSync } from 'node:fs';
          import { loadKuromojiTokenizer } from './server/src/morph/kuromoji';
          import { CATALOG_FEATURES_FILE, catalogFeaturesFile } from './server/src/morph/catalogFeatures';
          import { loadCatalog } from './server/src/service/catalog';
          export async function generate(dicPath: string): Promise<number> {
            const tokenizer = await loadKuromojiTokenizer(dicPath, { precomputed: false });
            const file = catalogFeaturesFile(loadCatalog(), tokenizer);
            writeFileSync(dicPath + '/' + CATALOG_FEATURES_FILE, JSON.stringify(file));
            return file.texts.length;
          }`,
      },
    });
    return await createRequire(import.meta.url)(script).generate(join(outdir, 'dict'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (watch) {
  copyDictionary();
  await precomputeCatalogFeatures();
  for (const b of builds) {
    const ctx = await esbuild.context({ ...common, ...b });
    await ctx.watch();
  }
} else {
  const started = Date.now();
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
  copyDictionary();
  const texts = await precomputeCatalogFeatures();
  console.log(`built ${outdir === join(root, 'dist') ? 'dist/' : outdir} in ${Date.now() - started} ms${production ? ' (production)' : ''} (catalog features: ${texts} texts)`);
}
