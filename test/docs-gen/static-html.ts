/**
 * Ids and link targets of a static HTML page read from its file: for typedoc's pages,
 * which are complete without scripts and too many (one per SDK symbol) to open each in
 * the browser under a loaded machine.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const decode = (s: string): string => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The page's element ids and its `<a href>` targets resolved against its file URL. */
export async function staticAnchorsAndLinks(file: string): Promise<{ ids: Set<string>; links: string[] }> {
  const html = await readFile(file, 'utf8');
  const base = pathToFileURL(file);
  const ids = new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => decode(m[1]!)));
  const links = [...html.matchAll(/<a\s[^>]*?href="([^"]*)"/g)].map((m) => new URL(decode(m[1]!), base).href);
  return { ids, links };
}
