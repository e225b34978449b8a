// Protocol tests of the editor features: the BUNDLED dist/server.js over stdio answers hover, code actions,
// completion, code lenses and the coverage requests on real drafts, as VS Code would ask for them.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type FullDocumentDiagnosticReport,
  type Hover,
  type InitializeResult,
  type MarkupContent,
  type Position,
  type ProtocolConnection,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import type { CoverageReportResult, CoverageResult, ExplainResult, RoleMatrixResult } from '../../server/src/protocol';

const root = resolve(import.meta.dirname, '..', '..');
const serverJs = join(root, 'dist', 'server.js');
const samplePath = join(root, 'examples', 'sample-policy.md');
const sampleUri = pathToFileURL(samplePath).href;
const sampleText = readFileSync(samplePath, 'utf8');
/** A short town draft with resolvable references (前条). */
const townPath = join(root, 'tests', 'fixtures', 'features', 'town-article-draft.md');
const townUri = pathToFileURL(townPath).href;
const townText = readFileSync(townPath, 'utf8');
const draftUri = pathToFileURL(join(root, 'tests', 'fixtures', 'guideline-draft', 'standards-edited.md')).href;
/** 6.1(6)② deleted from the guideline's own 例文 written out as a draft. */
const deleted = '②統括情報セキュリティ責任者及び情報システム管理者は、ログとして取得する項目、保存期間、取扱方法及びログが取得できなくなった場合の対処等について定め、適正にログを管理しなければならない。\n\n';
const fullDraft = readFileSync(join(root, 'tests', 'fixtures', 'guideline-draft', 'standards.md'), 'utf8');
const draftText = fullDraft.replace(deleted, '');

interface Harness {
  readonly proc: ChildProcess;
  readonly conn: ProtocolConnection;
  readonly statuses: { state: string; uri?: string }[];
  settings: unknown;
  lensRefreshes: number;
}

function startServer(): Harness {
  if (!existsSync(serverJs)) throw new Error('dist/server.js がありません。先に npm run build を実行してください');
  const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const h: Harness = { proc, conn, statuses: [], settings: null, lensRefreshes: 0 };
  conn.onNotification('kijun/status', (p: Harness['statuses'][number]) => void h.statuses.push(p));
  conn.onNotification('window/logMessage', () => undefined);
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => h.settings));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/diagnostic/refresh', () => null);
  conn.onRequest('workspace/codeLens/refresh', () => void h.lensRefreshes++);
  conn.listen();
  return h;
}

async function waitFor(what: string, cond: () => boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Position of the first occurrence of `needle` (plus `delta` characters). */
function positionOf(text: string, needle: string, delta = 0): Position {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

function offsetOf(text: string, p: Position): number {
  const lines = text.split('\n');
  let o = 0;
  for (let i = 0; i < p.line; i++) o += lines[i]!.length + 1;
  return o + p.character;
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits]
    .map((e) => ({ start: offsetOf(text, e.range.start), end: offsetOf(text, e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start)
    .reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await f();
  console.log(`# ${label}: ${(performance.now() - started).toFixed(1)} ms`);
  return result;
}

describe('editor features over stdio', () => {
  let h: Harness;
  let init: InitializeResult;
  const versions = new Map<string, number>();

  const open = (uri: string, text: string): void => {
    versions.set(uri, 1);
    void h.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
  };
  const change = (uri: string, text: string): void => {
    const version = (versions.get(uri) ?? 1) + 1;
    versions.set(uri, version);
    void h.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  };
  const pull = async (uri: string): Promise<Diagnostic[]> => {
    const report = await h.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    return (report as FullDocumentDiagnosticReport).items;
  };
  const hover = (uri: string, position: Position) => h.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  const markdownOf = (hv: Hover | null): string => (hv ? (hv.contents as MarkupContent).value : '');

  before(async () => {
    h = startServer();
    init = await h.conn.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'kijun' }],
      capabilities: {
        workspace: { configuration: true, diagnostics: { refreshSupport: true }, codeLens: { refreshSupport: true } },
        textDocument: { diagnostic: { dynamicRegistration: false }, hover: { contentFormat: ['markdown'] } },
      },
    });
    void h.conn.sendNotification('initialized', {});
    await waitFor('ready', () => h.statuses.some((s) => s.state === 'ready' && s.uri === undefined));
    open(sampleUri, sampleText);
    open(draftUri, draftText);
    open(townUri, townText);
  });

  after(() => {
    if (h.proc.exitCode === null) h.proc.kill();
    h.conn.dispose();
  });

  it('advertises hover, completion and code lenses', async () => {
    assert.equal(init.capabilities.hoverProvider, true);
    assert.ok(init.capabilities.completionProvider);
    assert.ok(init.capabilities.codeLensProvider);
    // The refresh request follows the `ready` status on the wire, maybe in a later chunk: wait for it (fails on timeout).
    await waitFor('code lenses refreshed once alignment is ready', () => h.lensRefreshes >= 1);
  });

  it('hovers a clause with its guideline item, the 例文 diff and the 解説', async () => {
    await pull(sampleUri);
    const clause = '2　副町長を CISO とする。';
    const hv = await timed('hover on a clause (96 KB sample, cached alignment)', () => hover(sampleUri, positionOf(sampleText, clause, 4)));
    const md = markdownOf(hv);
    assert.match(md, /ガイドライン 1\\\(1\\\)①/);
    assert.match(md, /必須/);
    assert.match(md, /例文どおりです/, 'the 例文 adapted to 本町 is what the clause says');
    assert.match(md, /\*\*解説\*\*/);
    assert.equal(hv!.range!.start.line, positionOf(sampleText, clause).line);
  });

  it('hovers a reference with the text it points to', async () => {
    const md = markdownOf(await hover(townUri, positionOf(townText, '前条に定める', 1)));
    assert.match(md, /^\*\*第4条（最高情報セキュリティ責任者）\*\*/);
    assert.match(md, /副町長を最高情報セキュリティ責任者/);
  });

  it('fixes the sample’s planted defects: the missing password clause and the unmarked 推奨事項', async () => {
    const diagnostics = await pull(sampleUri);
    const missing = diagnostics.find((d) => d.code === 'missing-item' && (d.data as { guidelineId?: string }).guidelineId === '5.4(3)③')!;
    assert.ok(missing, JSON.stringify(diagnostics.map((d) => [d.code, d.message])));
    const actions = await h.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: sampleUri }, range: missing.range, context: { diagnostics: [missing] } });
    const insert = actions.find((a) => a.isPreferred)!;
    const edits = insert.edit!.changes![sampleUri]!;
    // The article's paragraphs are numbered 2…8 with a full-width space: the clause becomes the next one.
    assert.equal(edits[0]!.newText, '\n\n9　パスワードは十分な長さとし、文字列は想像しにくいものにしなければならない。');
    assert.equal(edits[0]!.range.start.line, positionOf(sampleText, '8　職員等間でパスワードを共有してはならない').line);

    const unmarked = diagnostics.find((d) => d.code === 'unmarked-recommendation')!;
    const marks = await h.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: sampleUri }, range: unmarked.range, context: { diagnostics: [unmarked] } });
    const mark = marks.find((a) => a.title === '【推奨事項】を付けて採用を明記')!;
    // Both fixes were computed on the same version: applied together, as an editor applies one edit set.
    const both = applyEdits(sampleText, [...edits, ...mark.edit!.changes![sampleUri]!]);
    assert.match(both, /ハードディスクパスワード等）を併用しなければならない。【推奨事項】/);
    change(sampleUri, both);
    const after = await pull(sampleUri);
    assert.ok(!after.some((d) => d.code === 'missing-item' || d.code === 'unmarked-recommendation'), JSON.stringify(after.map((d) => d.message)));
    change(sampleUri, sampleText);
  });

  it('offers a quick fix that inserts the missing item where it belongs, and it clears the finding', async () => {
    const diagnostics = await timed('first diagnostics, 91 KB guideline draft', () => pull(draftUri));
    const missing = diagnostics.find((d) => d.code === 'missing-item' && (d.data as { guidelineId?: string }).guidelineId === '6.1(6)②');
    assert.ok(missing, JSON.stringify(diagnostics.map((d) => [d.code, d.message])));
    const actions = await timed('code actions (cached alignment)', () =>
      h.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: draftUri }, range: missing.range, context: { diagnostics: [missing] } }),
    );
    const insert = actions.find((a) => a.title.includes('例文'));
    assert.ok(insert, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(insert.isPreferred, true);
    assert.deepEqual(insert.diagnostics?.map((d) => d.code), ['missing-item']);
    assert.ok(actions.some((a) => a.title.includes('対象外')));
    const edits = insert.edit!.changes![draftUri]!;
    assert.equal(edits.length, 1);
    assert.equal(edits[0]!.newText, `\n\n${deleted.trim()}`);
    const fixed = applyEdits(draftText, edits);
    assert.equal(fixed, fullDraft, 'the fix restores exactly the deleted clause');

    change(draftUri, fixed);
    const after = await pull(draftUri);
    assert.ok(!after.some((d) => d.code === 'missing-item'), JSON.stringify(after.map((d) => d.message)));
    assert.ok(!after.some((d) => d.code === 'numbering-gap' && String(d.message).includes('②')));
    change(draftUri, draftText);
  });

  it('completes 例文 clauses for a keyword and role names inside a clause', async () => {
    const text = `${sampleText}\n\nパスワード`;
    change(sampleUri, text);
    const end = positionOf(text, '\n\nパスワード', 'パスワード'.length + 2);
    const items = await timed('completion after a keystroke (96 KB sample)', () => h.conn.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri: sampleUri }, position: end }));
    const clause = items.find((i) => i.label.startsWith('5.4(3)①'));
    assert.ok(clause, JSON.stringify(items.map((i) => i.label)));
    const edit = clause.textEdit as TextEdit;
    assert.equal(edit.range.start.character, 0);
    assert.match(edit.newText, /^パスワードは、他者に知られないように管理しなければならない。$/);

    const roleText = `${sampleText}\n\n3　統括`;
    change(sampleUri, roleText);
    const roles = await h.conn.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri: sampleUri }, position: positionOf(roleText, '\n\n3　統括', 6) });
    assert.ok(roles.some((i) => i.label === '統括情報セキュリティ責任者' && (i.textEdit as TextEdit).newText === '統括情報セキュリティ責任者'));
    change(sampleUri, sampleText);
  });

  it('measures hover, completion and code actions on the 91 KB draft', async () => {
    await pull(draftUri);
    // On the clause's wording, not on its role name (a role has a hover of its own).
    const at = positionOf(draftText, '①情報システム管理者は、所管する情報システムの運用において実施した作業', 16);
    for (let i = 0; i < 3; i++) {
      const hv = await timed('hover on a clause (91 KB, cached alignment)', () => hover(draftUri, at));
      assert.match(markdownOf(hv), /6\\.1\\\(4\\\)①/);
    }
    const typed = draftText.replace('(１３) 無線 LAN 及びネットワークの盗聴対策\n', '(１３) 無線 LAN 及びネットワークの盗聴対策\n\nUSB\n');
    change(draftUri, typed);
    const items = await timed('completion after a keystroke (91 KB)', () =>
      h.conn.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri: draftUri }, position: positionOf(typed, '\nUSB\n', 4) }),
    );
    assert.ok(items.some((i) => i.label.startsWith('3(1)②(イ)')), JSON.stringify(items.map((i) => i.label)));
    change(draftUri, draftText);
    const diagnostics = await pull(draftUri);
    const gap = diagnostics.find((d) => d.code === 'numbering-gap' && String(d.message).includes('②'))!;
    await timed('code actions (91 KB, cached alignment)', () =>
      h.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: draftUri }, range: gap.range, context: { diagnostics: [gap] } }),
    );
  });

  it('puts a code lens with the section coverage on mapped headings', async () => {
    const lenses = await h.conn.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: draftUri } });
    const lens = lenses.find((l) => l.command?.title.startsWith('ガイドライン 6.1:'));
    assert.ok(lens, JSON.stringify(lenses.map((l) => l.command?.title)));
    assert.match(lens.command!.title, /^ガイドライン 6\.1: (\d+)\/(\d+) 項目/);
    const [, covered, total] = /(\d+)\/(\d+)/.exec(lens.command!.title)!;
    assert.equal(Number(covered), Number(total) - 1, 'one mandatory item of 6.1 is missing');
    assert.equal(lens.command!.command, 'kijun.showCoverage');
    assert.deepEqual(lens.command!.arguments, [draftUri, '6.1']);
    assert.equal(lens.range.start.line, positionOf(draftText, '### 6.1 ').line);
  });

  it('answers kijun/coverage and exports the 対応表', async () => {
    const cov = await h.conn.sendRequest<CoverageResult>('kijun/coverage', { uri: draftUri });
    assert.equal(cov.ready, true);
    const item = cov.items.find((i) => i.id === '6.1(6)②')!;
    assert.equal(item.status, 'missing');
    assert.ok(item.insertAt, 'a missing item says where it would go');
    const covered = cov.items.find((i) => i.id === '6.1(6)①')!;
    assert.equal(covered.status, 'covered');
    assert.equal(covered.range!.start.line, positionOf(draftText, '①統括情報セキュリティ責任者及び情報システム管理者は、各種ログ').line);
    const md = await h.conn.sendRequest<CoverageReportResult>('kijun/coverageReport', { uri: draftUri, format: 'md' });
    assert.match(md.content!, /\| *6\.1\(6\)② *\|/);
    const csv = await h.conn.sendRequest<CoverageReportResult>('kijun/coverageReport', { uri: draftUri, format: 'csv' });
    assert.match(csv.content!.split('\n')[0]!, /,/);
    const none = await h.conn.sendRequest<CoverageResult>('kijun/coverage', { uri: 'untitled:none.md' });
    assert.equal(none.ready, false);
  });

  it('applies kijun.rules: a rule turned off loses its diagnostics and fixes, a severity is overridden', async () => {
    h.settings = { rules: { 'missing-item': 'off', 'numbering-gap': 'error' } };
    void h.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const diagnostics = await pull(draftUri);
    assert.ok(!diagnostics.some((d) => d.code === 'missing-item'));
    assert.ok(diagnostics.filter((d) => d.code === 'numbering-gap').every((d) => d.severity === 1));
    const actions = await h.conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: draftUri },
      range: { start: { line: 0, character: 0 }, end: { line: draftText.split('\n').length, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.ok(!actions.some((a) => a.title.includes('例文')), JSON.stringify(actions.map((a) => a.title)));
    h.settings = null;
    void h.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  });
  it('roles: a near-miss is reported with its suggestion, hover shows the appointment, rename edits every mention', async () => {
    const diagnostics = await pull(sampleUri);
    const nearMiss = diagnostics.find((d) => d.code === 'undefined-role' && String(d.message).includes('総括情報セキュリティ責任者'));
    assert.ok(nearMiss, JSON.stringify(diagnostics.map((d) => d.code)));
    assert.match(String(nearMiss.message), /『統括情報セキュリティ責任者』の誤り/);

    const at = positionOf(sampleText, '統括情報セキュリティ責任者は、本町の全てのネットワーク', 3);
    const md = markdownOf(await hover(sampleUri, at));
    assert.match(md, /統括情報セキュリティ責任者/);
    assert.match(md, /総務課長/, 'the appointment names who holds the role');

    const definition = await h.conn.sendRequest<{ targetUri: string; targetRange: { start: Position } }[]>('textDocument/definition', { textDocument: { uri: sampleUri }, position: at });
    assert.equal(definition.length, 1);
    assert.equal(definition[0]!.targetUri, sampleUri);
    assert.ok(definition[0]!.targetRange.start.line < at.line, 'the appointment comes before the use');

    const prepared = await h.conn.sendRequest<{ range: { start: Position }; placeholder: string } | null>('textDocument/prepareRename', { textDocument: { uri: sampleUri }, position: at });
    assert.equal(prepared?.placeholder, '統括情報セキュリティ責任者');
    const rename = await h.conn.sendRequest<{ changes: Record<string, TextEdit[]> }>('textDocument/rename', { textDocument: { uri: sampleUri }, position: at, newName: 'セキュリティ統括者' });
    const edits = rename.changes[sampleUri]!;
    const mentions = sampleText.split('統括情報セキュリティ責任者').length - 1;
    assert.ok(edits.length >= mentions - 1 && edits.length <= mentions, `${edits.length} edits for ${mentions} mentions`);
    const renamed = applyEdits(sampleText, edits);
    assert.ok(renamed.includes('セキュリティ統括者は、本町の全てのネットワーク'));
    assert.equal(renamed.replace(/セキュリティ統括者/g, '').length, sampleText.replace(/統括情報セキュリティ責任者/g, '').length - (mentions - edits.length) * '統括情報セキュリティ責任者'.length);

    const matrix = await h.conn.sendRequest<RoleMatrixResult>('kijun/roleMatrix', { uri: sampleUri, format: 'md' });
    assert.match(matrix.content!, /統括情報セキュリティ責任者/);
    assert.match(matrix.content!, /\|/);
    const none = await h.conn.sendRequest<RoleMatrixResult>('kijun/roleMatrix', { uri: 'untitled:none.md' });
    assert.equal(none.content, null);
  });
  it('explains why a document has, or has not, diagnostics (「診断が出ない理由を表示」)', async () => {
    const policy = await h.conn.sendRequest<ExplainResult>('kijun/explain', { uri: sampleUri });
    assert.match(policy.summary, /^7 件の指摘があります。フロントマターに kijun: または policy: があるため検査しています。$/);
    assert.ok(policy.details.some((d) => d.startsWith('文書の種類: 対策基準')));
    const notesUri = pathToFileURL(join(root, 'tests', 'e2e', 'workspace', 'notes.md')).href;
    open(notesUri, '# メモ\n\n第1条 これは打ち合わせメモです。\n');
    const notes = await h.conn.sendRequest<ExplainResult>('kijun/explain', { uri: notesUri });
    assert.match(notes.summary, /^ポリシーの草案と判定していません。.*「Kijunで検査」/);
    const unknown = await h.conn.sendRequest<ExplainResult>('kijun/explain', { uri: 'untitled:none.md' });
    assert.match(unknown.summary, /開かれていません/);
  });
});
