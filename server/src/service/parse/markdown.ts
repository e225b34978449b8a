/**
 * The Markdown layer: which lines are headings (and their depth) and which lines are opaque blocks
 * (fenced code, HTML, GFM tables) that must not open provisions.
 *
 * remark only sees a skeleton of the document: lines that cannot take part in a Markdown block construct
 * are replaced by `x`, which keeps line numbers while making a 500 KB quasi-Markdown file cheap to parse.
 */
import type { Root, RootContent } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';

export interface MarkdownLayer {
  /** 0-based line (relative to the text given) → ATX/setext heading depth. */
  readonly headingDepth: ReadonlyMap<number, number>;
  /** Lines inside code, HTML or table blocks, and setext underlines. */
  readonly opaque: ReadonlySet<number>;
  /** Lines that are table rows (a subset of opaque): their text still belongs to the provision. */
  readonly tableRows: ReadonlySet<number>;
}

/** Lines that can begin or shape a Markdown block other than a paragraph or list. */
const CANDIDATE_RE = /^\s{0,3}(?:#{1,6}(?:\s|$)|`{3,}|~{3,}|<[A-Za-z!?/]|\||>|=+\s*$|-{2,}\s*$|\*{3,}\s*$|_{3,}\s*$)|\|/;

let processor: Processor<Root> | null = null;

function getProcessor(): Processor<Root> {
  if (processor) return processor;
  // Inline constructs are never needed; indented code is switched off because real drafts indent freely.
  const disable = {
    disable: {
      null: [
        'codeIndented',
        'attention',
        'autolink',
        'characterEscape',
        'characterReference',
        'codeText',
        'hardBreakEscape',
        'htmlText',
        'labelStartImage',
        'labelStartLink',
        'labelEnd',
      ],
    },
  };
  const p = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkFrontmatter)
    .use(function (this: Processor) {
      const data = this.data() as { micromarkExtensions?: unknown[] };
      (data.micromarkExtensions ??= []).push(disable);
    });
  processor = p as unknown as Processor<Root>;
  return processor;
}

/** `lines` are the document's lines without their breaks. */
export function markdownLayer(lines: readonly string[]): MarkdownLayer {
  const headingDepth = new Map<number, number>();
  const opaque = new Set<number>();
  const tableRows = new Set<number>();
  const keep = new Uint8Array(lines.length);
  let any = false;
  for (let i = 0; i < lines.length; i++) {
    if (CANDIDATE_RE.test(lines[i]!)) {
      any = true;
      keep[i] = 1;
      if (i > 0) keep[i - 1] = 1;
      if (i + 1 < lines.length) keep[i + 1] = 1;
    }
  }
  if (!any) return { headingDepth, opaque, tableRows };
  const skeleton = lines.map((l, i) => (keep[i] || l.trim() === '' ? l : 'x')).join('\n');
  const tree = getProcessor().parse(skeleton);
  const visit = (nodes: readonly RootContent[]): void => {
    for (const node of nodes) {
      const pos = node.position;
      if (!pos) continue;
      const first = pos.start.line - 1;
      const last = pos.end.line - 1;
      switch (node.type) {
        case 'heading': {
          const setext = last > first || !/^\s{0,3}#/.test(lines[first] ?? '');
          if (setext) {
            for (let l = first; l < last; l++) headingDepth.set(l, node.depth);
            opaque.add(last);
          } else {
            headingDepth.set(first, node.depth);
          }
          break;
        }
        case 'code':
        case 'html':
          for (let l = first; l <= last; l++) opaque.add(l);
          break;
        case 'table':
          for (let l = first; l <= last; l++) {
            opaque.add(l);
            tableRows.add(l);
          }
          break;
        case 'thematicBreak':
          opaque.add(first);
          break;
        default:
          if ('children' in node && Array.isArray(node.children)) visit(node.children as RootContent[]);
      }
    }
  };
  visit(tree.children);
  return { headingDepth, opaque, tableRows };
}
