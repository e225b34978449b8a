// Bundles the extension client, the language server and the CLI with esbuild, writes the kuromoji
// dictionary next to the bundles (found by explicit path at run time), uncompressed and without its zero
// padding (dict/*.dat + dict/manifest.json, see server/src/morph/rawDictionary.ts), and precomputes the
// features of the catalog texts into it (dict/catalog-features.json, see server/src/service/align/catalogFeatures.ts).
import * as esbuild from 'esbuild';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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

/**
 * Writes kuromoji's stock dictionary (node_modules/kuromoji/dict/*.dat.gz) to dist/dict as the loader
 * reads it fastest: gunzipped, zero padding trimmed, with its manifest (writeRawDictionary). Then computes
 * the features of the catalog texts the alignment index needs with the bundled code (the very code the
 * server runs, loading that dictionary) and writes them beside it. The catalog changes only with
 * `npm run catalog`; in watch mode this runs once, at the start.
 */
async function writeDictionary() {
  const from = join(root, 'node_modules/kuromoji/dict');
  const to = join(outdir, 'dict');
  if (!existsSync(from)) throw new Error(`kuromoji dictionary not found at ${from}`);
  rmSync(to, { recursive: true, force: true });
  const tmp = mkdtempSync(join(tmpdir(), 'kijun-build-'));
  try {
    const script = join(tmp, 'dictionary.cjs');
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
          export { writeRawDictionary } from './server/src/morph/rawDictionary';
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
    const helper = createRequire(import.meta.url)(script);
    helper.writeRawDictionary(from, to);
    return await helper.generate(to);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (watch) {
  await writeDictionary();
  for (const b of builds) {
    const ctx = await esbuild.context({ ...common, ...b });
    await ctx.watch();
  }
} else {
  const started = Date.now();
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
  const texts = await writeDictionary();
  console.log(`built ${outdir === join(root, 'dist') ? 'dist/' : outdir} in ${Date.now() - started} ms${production ? ' (production)' : ''} (catalog features: ${texts} texts)`);
}
