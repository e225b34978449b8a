/**
 * Edits of the drafter's declarations in the YAML front matter (see align/deviations.ts for the keys read):
 * `kijun: not-applicable: {id: 理由}` and `kijun: adopted-recommendations: [id]`. The edit replaces the YAML
 * between the fences only (comments kept), or creates the front matter at the top of the file.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { ParsedPolicy } from '../parse/types';
import type { TextEdit } from '../types';

export const REASON_PLACEHOLDER = '理由を記入';

const NA_KEYS = ['not-applicable', 'notApplicable', '対象外', '該当なし'];
const ADOPTED_KEYS = ['adopted-recommendations', 'adoptedRecommendations', '採用する推奨事項', '推奨事項'];

export type Declaration = { readonly kind: 'not-applicable'; readonly id: string; readonly reason?: string } | { readonly kind: 'adopted'; readonly id: string };

export function declareInFrontMatter(parsed: ParsedPolicy, decl: Declaration): TextEdit | null {
  try {
    return declare(parsed, decl);
  } catch {
    // Front matter the yaml library cannot edit in place (odd nodes, anchors): no fix rather than a failed request.
    return null;
  }
}

function declare(parsed: ParsedPolicy, decl: Declaration): TextEdit | null {
  const text = parsed.text;
  const fm = parsed.frontMatter.range;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  if (!fm) {
    const body = decl.kind === 'not-applicable' ? `  not-applicable:\n    ${quoteKey(decl.id)}: ${decl.reason ?? REASON_PLACEHOLDER}` : `  adopted-recommendations:\n    - ${quoteKey(decl.id)}`;
    return { range: { start: 0, end: 0 }, newText: `---\nkijun:\n${body}\n---\n\n`.replace(/\n/g, nl) };
  }
  const open = /^---[ \t]*(?:\r\n|\n|\r)/.exec(text);
  if (!open) return null;
  const yamlStart = open[0].length;
  const fenceStart = text.lastIndexOf('\n', fm.end - 4) + 1;
  if (fenceStart < yamlStart) return null;
  const yamlText = text.slice(yamlStart, fenceStart);
  const doc = parseDocument(yamlText);
  if (doc.errors.length > 0) return null;
  if (doc.contents !== null && !isMap(doc.contents)) return null;
  const scope = scopeKey(doc);
  if (scope === null) return null;
  // An item declared already is left as the drafter wrote it: a second declaration would duplicate it, or
  // overwrite the drafter's reason with the placeholder.
  if (decl.kind === 'not-applicable') {
    const key = existingKey(doc, scope, NA_KEYS) ?? 'not-applicable';
    const current: unknown = doc.getIn([scope, key]);
    if (isSeq(current)) {
      if (current.items.some((x) => (isMap(x) ? String(x.get('id')) : isScalar(x) ? String(x.value) : null) === decl.id)) return null;
      current.add(doc.createNode({ id: decl.id, reason: decl.reason ?? REASON_PLACEHOLDER }));
    } else {
      if (current !== undefined && !isMap(current)) return null;
      // Keys compared as text: `3:` is a number to YAML and "3" to the drafter.
      if (isMap(current) && current.items.some((p) => String(isScalar(p.key) ? p.key.value : p.key) === decl.id)) return null;
      doc.setIn([scope, key, decl.id], decl.reason ?? REASON_PLACEHOLDER);
    }
  } else {
    const key = existingKey(doc, scope, ADOPTED_KEYS) ?? 'adopted-recommendations';
    const current: unknown = doc.getIn([scope, key], true);
    if (isSeq(current)) {
      if (current.items.some((x) => isScalar(x) && String(x.value) === decl.id)) return null;
      current.add(decl.id);
    } else if (isScalar(current) && typeof current.value === 'string') {
      if (current.value.split(/[,、\s]+/).includes(decl.id)) return null;
      current.value = `${current.value}, ${decl.id}`;
    }
    else if (current === undefined) doc.setIn([scope, key], doc.createNode([decl.id]));
    else return null;
  }
  let out = doc.toString({ lineWidth: 0 });
  if (nl === '\r\n') out = out.replace(/\r?\n/g, '\r\n');
  if (out === yamlText) return null;
  return { range: { start: yamlStart, end: fenceStart }, newText: out };
}

/** `kijun` (or an existing `policy`) as a block mapping, created when absent; null when `kijun:` holds a scalar. */
function scopeKey(doc: Document): string | null {
  for (const key of ['kijun', 'policy']) {
    const v: unknown = doc.get(key, true);
    if (isMap(v)) {
      if (v.flow && v.items.length === 0) v.flow = false;
      return key;
    }
  }
  const v: unknown = doc.get('kijun', true);
  if (v !== undefined && !(isScalar(v) && v.value === null)) return null;
  doc.set('kijun', doc.createNode({}));
  const created: unknown = doc.get('kijun', true);
  if (isMap(created)) created.flow = false;
  return 'kijun';
}

function existingKey(doc: Document, scope: string, keys: readonly string[]): string | null {
  return keys.find((k) => doc.hasIn([scope, k])) ?? null;
}

function quoteKey(id: string): string {
  return /^[0-9.]+$/.test(id) || /[:#{}[\],&*!|>'"%@`]/.test(id) ? JSON.stringify(id) : id;
}
