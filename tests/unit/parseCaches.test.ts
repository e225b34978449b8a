import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectSelfReference, detectSelfReferenceInLines } from '../../server/src/service/text/normalize';
import { markdownOf, parsePolicy, splitLines, type Lines } from '../../server/src/service/parse/index';
import { readFrontMatter } from '../../server/src/service/parse/frontMatter';
import { resolveReferences } from '../../server/src/service/parse/references';
import { markdownLayer, type MarkdownLayer } from '../../server/src/service/parse/markdown';
import { editSequence, referenceDrafts } from '../helpers/drafts';

/** The definition detectSelfReference had before it counted line by line: NFKC of the whole text. */
function wholeText(text: string): string | null {
  const re = /本(?:市|区|町|村|県|都|府|道|庁|協議会|組合|広域連合|連合|機構|法人|団体|センター|公社|会|社|学|院)(?![a-zA-Z])/g;
  const counts = new Map<string, number>();
  for (const m of text.normalize('NFKC').matchAll(re)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [k, n] of counts) if (n > bestCount) [best, bestCount] = [k, n];
  return best;
}

test('NFKC never joins across a line break, and only 本 and 🉀 (〔本〕, never a self-name) normalise to text holding 本', () => {
  const holding: number[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    const n = ch.normalize('NFKC');
    if (n.includes('本')) holding.push(cp);
    assert.equal(`${ch}\n${ch}`.normalize('NFKC'), `${n}\n${n}`, `U+${cp.toString(16)}`);
  }
  assert.deepEqual(holding, [0x672c, 0x1f240]);
  assert.equal('\u{1F240}'.normalize('NFKC'), '〔本〕');
});

test('detectSelfReference counted per line equals the count over the whole text', () => {
  const pieces = ['本市', '本区', '本ｾﾝﾀｰ', '本センター', '本会', '本会議', '本社a', '本学', '\u{1F240}市', '本\n市', '本\r\n区', '本\r市', '市', '。', '\n', '\n\n', 'ｶﾞ', '\u3099', 'か\u3099', '本町', '\uD800'];
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let k = 0; k < 400; k++) {
    let text = '';
    const n = Math.floor(rnd() * 30);
    for (let i = 0; i < n; i++) text += pieces[Math.floor(rnd() * pieces.length)];
    assert.equal(detectSelfReference(text), wholeText(text), JSON.stringify(text));
    assert.equal(detectSelfReference(text), wholeText(text), `again (cached): ${JSON.stringify(text)}`);
    // Read from the parser's lines (split at any line break), from a body start and up to a cut anywhere.
    const from = Math.min(text.length, Math.floor(rnd() * 3));
    const cut = Math.floor(rnd() * (text.length + 2));
    const split = splitLines(text, from);
    assert.equal(detectSelfReferenceInLines(split.lines, split.starts, from + cut), wholeText(text.slice(from).slice(0, cut)), `lines, from ${from}, cut ${cut}: ${JSON.stringify(text)}`);
  }
  // Ties go to the name that occurs first.
  assert.equal(detectSelfReference('本区\n本市\n本市\n本区'), '本区');
  assert.equal(detectSelfReference('本ｾﾝﾀｰ\n本センター\n本市'), '本センター');
});

/** The lines as the parser split them before it reused the previous text's. */
function splitWhole(text: string, from: number): Array<{ start: number; end: number; text: string }> {
  const lines: Array<{ start: number; end: number; text: string }> = [];
  const re = /\r\n|\n|\r/g;
  let start = from;
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    lines.push({ start, end: m.index, text: text.slice(start, m.index) });
    start = m.index + m[0].length;
  }
  lines.push({ start, end: text.length, text: text.slice(start) });
  return lines;
}

test('lines reused from the previous text after an edit equal the lines of the whole text', () => {
  const pieces = ['\n', '\r', '\r\n', '\n\n', 'a', 'あ', '第1条', ' ', '\r\r', ''];
  let seed = 11;
  const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const pick = (): string => pieces[Math.floor(rnd() * pieces.length)]!;
  let previous: Lines | null = null;
  let movedKept = 0;
  for (let doc = 0; doc < 70; doc++) {
    // Short texts, and long ones (the common start and end are compared 1,024 characters at a time).
    let text = '';
    for (let i = 0, n = doc < 60 ? 40 : 4000; i < n; i++) text += pick();
    const from = rnd() < 0.3 ? Math.min(text.length, Math.floor(rnd() * 5)) : 0;
    for (let e = 0; e < 40; e++) {
      const at = Math.floor(rnd() * (text.length + 1));
      const del = rnd() < 0.5 ? Math.floor(rnd() * 4) : 0;
      const next = text.slice(0, at) + (rnd() < 0.7 ? pick() : '') + text.slice(at + del);
      // Often the same body start; sometimes another one (no reuse then).
      const f = next.length >= from ? from : 0;
      const changed = next !== text;
      text = next;
      // Where the lines are (a line also carries its cached classification, which depends on its text alone).
      const split = splitLines(text, f);
      const lines = split.lines.map((l, i) => ({ start: split.starts[i]!, end: split.ends[i]!, text: l.text }));
      assert.equal(split.starts.length, split.lines.length);
      assert.equal(split.ends.length, split.lines.length);
      // Lines after the edit are the previous split's objects, moved (they carry no offsets). Counted only
      // after a real change (an unchanged text hands on the whole previous split).
      if (previous && e > 0 && changed) {
        const before = new Set(previous.lines);
        for (let i = 0; i < split.lines.length; i++) if (before.has(split.lines[i]!) && split.starts[i]! > at + 1) movedKept++;
      }
      previous = split;
      assert.deepEqual(lines, splitWhole(text, f), JSON.stringify(text));
    }
  }
  assert.ok(movedKept > 10_000, `${movedKept} lines after an edit kept as the same objects`);
});

test('the Markdown layer kept across an edit equals the layer read afresh', () => {
  // Pieces that make and unmake constructs (headings, tables, fences, setext underlines, quotes) and plain text.
  const pieces = ['あ', '市', '。', '\n', '\n\n', '# ', '|', '```', '---', '===', '> ', '- ', '1. ', ' ', '<div>', '-->', '<script>', 'x </script>'];
  let reused = 0;
  for (const [name, draft] of [...referenceDrafts(), ['table and fence', '前文\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n本文です。\n```\ncode\n```\n見出し\n===\n\n> 引用\n続き。\n']]) {
    let previous: MarkdownLayer | null = null;
    for (const text of editSequence(draft!, pieces, 17, 60, 6)) {
      const { lines } = splitLines(text, 0);
      const layer = markdownOf(lines);
      if (layer === previous) reused++;
      previous = layer;
      assert.deepEqual(layer, markdownLayer(lines.map((l) => l.text)), `${name}: ${JSON.stringify(text.slice(0, 80))}`);
    }
  }
  // Most edits touch a paragraph line alone: the layer is kept (else this test would check nothing of it).
  assert.ok(reused > 100, `kept ${reused} times`);
});

test('references found line by line (kept with the lines) equal those found in the whole text', () => {
  const pieces = ['前条', '第3条第2項', '同項', '次条', '第2章', '上記1及び2', '（1）の', '\n', 'あ', '法律第57号）第2条', '第三条の二', '\r\n', '\r'];
  let compared = 0;
  for (const [name, draft] of referenceDrafts()) {
    for (const text of editSequence(draft, pieces, 23, 30, 8)) {
      const parsed = parsePolicy(text);
      const bodyStart = parsed.frontMatter.range ? readFrontMatter(text).bodyStart : 0;
      const lines = splitLines(text, bodyStart);
      const byLine = resolveReferences(text, parsed.provisions, bodyStart, lines);
      assert.deepEqual(byLine, resolveReferences(text, parsed.provisions, bodyStart), `${name}: ${JSON.stringify(text.slice(0, 60))}`);
      compared += byLine.references.length;
    }
  }
  assert.ok(compared > 1000, `${compared} references compared`);
});

test('a parse does not depend on what was parsed before it (drafts, lines and frozen nodes are handed out again across documents)', () => {
  // The same documents and edited versions parsed in two orders: any state one parse left behind for the
  // next (a pooled draft's field, a line's offsets, the freeze stack) would make some result differ.
  const plain = (p: ReturnType<typeof parsePolicy>) => JSON.stringify({ provisions: p.provisions, findings: p.findings, references: p.references, kind: p.kind, selfReference: p.selfReference });
  const texts: string[] = [];
  for (const [, draft] of referenceDrafts()) {
    texts.push(draft);
    for (const text of editSequence(draft, ['\n', '第3条', '（2）', 'ア　', '## ', '本区'], 41, 6, 8)) texts.push(text);
  }
  texts.push('', '# 見出し\n\n1 目的\n本町の情報資産を守る。\n');
  const forward = texts.map((t) => plain(parsePolicy(t)));
  const backward = [...texts].reverse().map((t) => plain(parsePolicy(t))).reverse();
  assert.equal(forward.length, backward.length);
  for (let i = 0; i < texts.length; i++) assert.equal(backward[i], forward[i], `text ${i}: ${JSON.stringify(texts[i]!.slice(0, 60))}`);
});

test('the tree of an edited text, built from the previous parse\'s provisions, equals the tree parsed afresh', () => {
  // Edits inside sentences and table rows, line breaks, numbers and headings: provisions handed on as the
  // same node, moved by the edit, rebuilt, or joined from parts that are the previous parse's strings.
  const pieces = ['あ', '。', '\n', '\n\n', '1 ', '（2）', '第3条', '## ', '| a | b |\n', '、', 'ア　'];
  const plain = (p: ReturnType<typeof parsePolicy>) => JSON.stringify({ provisions: p.provisions, findings: p.findings, references: p.references });
  let same = 0;
  let nodes = 0;
  for (const [name, draft] of referenceDrafts()) {
    let previous = parsePolicy(draft);
    for (const text of editSequence(draft, pieces, 31, 25, 12)) {
      const parsed = parsePolicy(text); // after `previous`: reuses its provisions
      const kept = new Set<object>();
      const collect = (ns: typeof previous.provisions): void => ns.forEach((n) => (kept.add(n), collect(n.children)));
      collect(previous.provisions);
      const visit = (ns: typeof parsed.provisions): void =>
        ns.forEach((n) => {
          nodes++;
          if (kept.has(n)) same++;
          visit(n.children);
        });
      visit(parsed.provisions);
      parsePolicy(''); // forget it: the next parse starts afresh
      assert.equal(plain(parsed), plain(parsePolicy(text)), `${name}: ${JSON.stringify(text.slice(0, 60))}`);
      previous = parsePolicy(text);
    }
  }
  // 59 % when written (the rest moved by their edit or rebuilt).
  assert.ok(same > nodes / 2, `${same} of ${nodes} provisions handed on as the same node`);
});
