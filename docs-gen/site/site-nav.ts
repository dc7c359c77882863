/** The one navigation of the site, derived from the pages that exist in this build. */
import type { Page } from '../page.js';
import { API_PAGE } from './api-page.js';
import type { NavEntry } from './layout.js';
import { SDK_DIR } from './sdk-reference.js';

/** What the navigation lists besides the Markdown pages. */
export interface NavExtras {
  readonly api: boolean;
  readonly sdk: boolean;
  /** Conformance report pages: title and path from the site root. */
  readonly reports: readonly { readonly title: string; readonly href: string }[];
}

const GROUP_OF: Record<string, string> = {
  'index.md': 'Overview',
  'support-matrix.md': 'Overview',
  'driver-guide.md': 'Guides',
  'capability-catalog.md': 'Guides',
  'errors.md': 'Guides',
};

/** The navigation entries in display order. */
export function siteNav(pages: readonly Page[], extras: NavExtras): NavEntry[] {
  const html = (p: Page): string => p.path.replace(/\.md$/, '.html');
  const entries: NavEntry[] = [];
  for (const group of ['Overview', 'Guides']) {
    for (const p of pages) if (GROUP_OF[p.path] === group) entries.push({ group, title: p.path === 'index.md' ? 'Home' : p.title, href: html(p) });
  }
  for (const p of pages) if (p.path.startsWith('drivers/')) entries.push({ group: 'Drivers', title: p.title.replace(/^Driver /, ''), href: html(p) });
  if (extras.api) entries.push({ group: 'Reference', title: 'API reference', href: API_PAGE }, { group: 'Reference', title: 'OpenAPI document', href: 'api/openapi.yaml' });
  if (extras.sdk) entries.push({ group: 'Reference', title: 'SDK reference', href: `${SDK_DIR}/index.html` });
  for (const r of extras.reports) entries.push({ group: 'Conformance reports', ...r });
  entries.push({ group: 'Search', title: 'Search', href: 'search.html' });
  return entries;
}
