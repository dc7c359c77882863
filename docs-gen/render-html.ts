import type { Block, Page } from './page.js';
import { slug } from './page.js';
import { relativeTarget } from './render-markdown.js';

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Renders the inline Markdown subset to HTML. */
function inline(page: Page, text: string): string {
  const parts = text.split(/(`[^`]*`)/g);
  return parts
    .map((part) => {
      if (part.startsWith('`') && part.endsWith('`') && part.length >= 2) return `<code>${escape(part.slice(1, -1))}</code>`;
      return escape(part.replace(/\\\|/g, '|'))
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, target: string) => `<a href="${escape(relativeTarget(page.path, target.replace(/&amp;/g, '&'), '.html'))}">${label}</a>`);
    })
    .join('');
}

function block(page: Page, b: Block): string {
  if ('heading' in b) {
    const id = b.id ?? slug(b.heading);
    return `<h${b.level} id="${escape(id)}">${inline(page, b.heading)}</h${b.level}>`;
  }
  if ('para' in b) return `<p>${inline(page, b.para)}</p>`;
  if ('list' in b) return `<ul>${b.list.map((i) => `<li>${inline(page, i)}</li>`).join('')}</ul>`;
  if ('table' in b) {
    const head = b.table.head.map((h) => `<th>${inline(page, h)}</th>`).join('');
    const rows = b.table.rows.map((r) => `<tr>${r.map((c) => `<td>${inline(page, c)}</td>`).join('')}</tr>`).join('\n');
    return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
  }
  return `<pre><code${b.lang ? ` class="language-${escape(b.lang)}"` : ''}>${escape(b.code)}</code></pre>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:70rem;margin:0 auto;padding:1rem 2rem;line-height:1.5;color:#1d232a}
nav{border-bottom:1px solid #ccd;padding-bottom:.5rem;margin-bottom:1rem}nav a{margin-right:1rem}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccd;padding:.25rem .5rem;vertical-align:top;text-align:left}
code{background:#f3f4f6;padding:0 .2rem}pre{background:#f3f4f6;padding:.75rem;overflow:auto}`;

/** The page as a standalone HTML document with a navigation bar over `nav` pages. */
export function renderHtml(page: Page, nav: readonly Page[]): string {
  const links = nav.map((p) => `<a href="${escape(relativeTarget(page.path, p.path, '.html'))}">${escape(p.title)}</a>`).join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escape(page.title)} — Ashlar</title><style>${STYLE}</style></head>
<body>
<nav>${links}</nav>
<main>
${page.blocks.map((b) => block(page, b)).join('\n')}
</main>
</body>
</html>
`;
}
