/**
 * Committed Markdown to HTML through markdown-it (CommonMark + GFM tables), so the site
 * shows exactly what GitHub shows for docs/*.md, with links retargeted at the HTML pages.
 */
import MarkdownIt from 'markdown-it';
import anchor from 'markdown-it-anchor';
import { slug } from '../page.js';

/** A relative link to a committed page (`errors.md#x`, `../drivers/file.md`) → its HTML page. */
export function htmlHref(href: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('/')) return href;
  return href.replace(/\.md(?=$|#)/, '.html');
}

/** A configured markdown-it instance. */
export type MarkdownRenderer = ReturnType<typeof MarkdownIt>;

/**
 * A markdown-it instance for generated pages: inline HTML on (the pages carry
 * `<a id>` anchors for stable link targets), heading ids derived as GitHub derives them
 * (the Markdown links to them), and `.md` links rewritten to `.html`.
 */
export function createMarkdownRenderer(): MarkdownRenderer {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  md.use(anchor, {
    slugify: slug,
    permalink: anchor.permalink.linkInsideHeader({ symbol: '¶', placement: 'after', ariaHidden: true, class: 'permalink' }),
  });
  const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const href = token.attrGet('href');
    if (href !== null) token.attrSet('href', htmlHref(String(href)));
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  return md;
}
