import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root (tests/helpers/ → ../..). */
export const repoRoot = path.join(__dirname, '..', '..');

/**
 * The shared corpus beside the repository (CI clones main with shared/ next to it). It is read-only
 * material outside the repo, so tests that need it skip with this reason when it is absent.
 */
export const corpusDir = process.env['KIJUN_CORPUS'] ?? path.join(repoRoot, '..', 'shared', 'corpus');

export const CORPUS_SKIP = `reason: corpus not present at ${corpusDir} (read-only material outside the repository)`;

export function corpusPath(name: string): string {
  return path.join(corpusDir, name);
}

export function hasCorpus(name: string): boolean {
  return existsSync(corpusPath(name));
}

export function readCorpus(name: string): string {
  return readFileSync(corpusPath(name), 'utf8');
}
