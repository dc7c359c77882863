/**
 * The site search index, built once at docs build time with MiniSearch (the browser loads
 * the same library and this serialized index): one document per section of every
 * Markdown page, per API operation and per SDK symbol.
 */
import MiniSearch, { type Options } from 'minisearch';
import { API_PAGE } from './api-page.js';
import type { MarkdownRenderer } from './markdown-html.js';
import type { SdkSymbol } from './sdk-reference.js';

/** One searchable unit. */
export interface SearchDoc {
  readonly id: string;
  readonly title: string;
  /** Where it is: page title, "API", "SDK". */
  readonly section: string;
  /** From the site root, with the anchor. */
  readonly url: string;
  readonly text: string;
}

/** Options shared by the build and the browser (they must agree for loadJS). */
export const SEARCH_OPTIONS: Options<SearchDoc> = { idField: 'id', fields: ['title', 'text'], storeFields: ['title', 'section', 'url'] };

const stripTags = (html: string): string => html.replace(/<[^>]*>/g, '').trim();

/** A section per heading of a rendered Markdown page (ids as markdown-it-anchor assigns them). */
export function markdownSections(md: MarkdownRenderer, markdown: string, htmlPath: string, pageTitle: string): SearchDoc[] {
  const tokens = md.parse(markdown, {});
  const docs: SearchDoc[] = [];
  let current: { title: string; id: string; text: string[] } | undefined;
  const flush = (): void => {
    if (current) docs.push({ id: `${htmlPath}#${current.id}`, title: current.title, section: pageTitle, url: `${htmlPath}#${current.id}`, text: current.text.join(' ') });
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'heading_open') {
      flush();
      const inline = tokens[i + 1]!;
      const title = stripTags((inline.children ?? []).filter((c) => c.type === 'text' || c.type === 'code_inline').map((c) => c.content).join('')).replace(/¶$/, '').trim();
      current = { title, id: String(t.attrGet('id') ?? ''), text: [] };
      i++;
    } else if (t.type === 'inline' && current) {
      current.text.push(stripTags(t.content));
    }
  }
  flush();
  return docs;
}

/** A document per operation of the presentation document (Redoc's `#operation/<id>` anchors). */
export function apiOperations(doc: Record<string, any>): SearchDoc[] {
  const docs: SearchDoc[] = [];
  for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op?.operationId) continue;
      docs.push({
        id: `api:${op.operationId}`,
        title: String(op.summary ?? op.operationId),
        section: `API · ${method.toUpperCase()} ${p}`,
        url: `${API_PAGE}#operation/${op.operationId}`,
        text: `${op.operationId} ${p} ${(op.tags ?? []).join(' ')} ${op.description ?? ''}`,
      });
    }
  }
  return docs;
}

/** SDK symbols as search documents. */
export function sdkDocs(symbols: readonly SdkSymbol[]): SearchDoc[] {
  return symbols.map((s) => ({ id: `sdk:${s.url}`, title: s.title, section: `SDK · ${s.kind}`, url: s.url, text: s.text }));
}

/** The index as the script the pages load (assets/search-index.js). */
export function searchIndexScript(docs: readonly SearchDoc[]): string {
  const engine = new MiniSearch<SearchDoc>(SEARCH_OPTIONS);
  // Ids must be unique; a page may repeat a heading, an SDK page may hold several symbols.
  const seen = new Set<string>();
  engine.addAll(docs.filter((d) => !seen.has(d.id) && seen.add(d.id)));
  return `window.ASHLAR_SEARCH = ${JSON.stringify({ options: SEARCH_OPTIONS, index: engine.toJSON() })};\n`;
}
