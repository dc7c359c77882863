/**
 * The frame every page of the site shares: one navigation (the same entries on every
 * page, also handed to typedoc), the search box, and the stylesheet. Only relative URLs,
 * so the site works from file:// and from any sub-path of a web server.
 */
import path from 'node:path';

/** One entry of the site navigation; `href` is relative to the site root. */
export interface NavEntry {
  readonly group: string;
  readonly title: string;
  readonly href: string;
}

/** HTML-escapes text for content and attribute values. */
export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The prefix that leads from a page (path from the site root) back to the root. */
export function rootPrefix(pagePath: string): string {
  const depth = path.posix.dirname(pagePath) === '.' ? 0 : path.posix.dirname(pagePath).split('/').length;
  return '../'.repeat(depth);
}

/** What a page hands the frame. */
export interface FrameInput {
  /** Where the page lives, from the site root (`drivers/file.html`). */
  readonly path: string;
  readonly title: string;
  readonly body: string;
  readonly nav: readonly NavEntry[];
  /** Extra scripts (paths from the site root) loaded after the body, in order. */
  readonly scripts?: readonly string[];
  /** A page class for styles, e.g. `api` for the full-width API reference. */
  readonly kind?: string;
}

function navHtml(nav: readonly NavEntry[], current: string, root: string): string {
  const groups = [...new Set(nav.map((n) => n.group))];
  return groups
    .map((g) => {
      const links = nav
        .filter((n) => n.group === g)
        .map((n) => `<li><a href="${escapeHtml(root + n.href)}"${n.href === current ? ' aria-current="page"' : ''}>${escapeHtml(n.title)}</a></li>`)
        .join('');
      return `<div class="nav-group"><span class="nav-title">${escapeHtml(g)}</span><ul>${links}</ul></div>`;
    })
    .join('');
}

/** The page as a complete HTML document. */
export function framePage(input: FrameInput): string {
  const root = rootPrefix(input.path);
  const scripts = ['assets/minisearch.js', 'assets/search-index.js', 'assets/search.js', ...(input.scripts ?? [])];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} — Ashlar</title>
<link rel="stylesheet" href="${root}assets/site.css">
</head>
<body class="${escapeHtml(input.kind ?? 'doc')}" data-root="${root}">
<header class="top">
<a class="brand" href="${root}index.html">Ashlar</a>
<form class="search" role="search" action="${root}search.html" method="get">
<input type="search" name="q" id="search-input" placeholder="Search docs, API, SDK" autocomplete="off" aria-label="Search the documentation">
<ol id="search-dropdown" hidden></ol>
</form>
</header>
<div class="layout">
<nav class="side" aria-label="Site">${navHtml(input.nav, input.path, root)}</nav>
<main id="content">
${input.body}
</main>
</div>
${scripts.map((s) => `<script src="${root}${s}"></script>`).join('\n')}
</body>
</html>
`;
}
