/**
 * A tiny document model every generated page is written in, rendered to Markdown and to
 * HTML by the same code, so both outputs always say the same thing. Inline text uses a
 * Markdown subset: `code`, **bold** and [text](target) where target is a page path from
 * the docs root (`errors.md#volume_not_found`) or an absolute URL.
 */

/** Inline text (Markdown subset, see the module comment). */
export type Inline = string;

/** One block of a page. */
export type Block =
  | { readonly heading: Inline; readonly level: 1 | 2 | 3 | 4; readonly id?: string }
  | { readonly para: Inline }
  | { readonly list: readonly Inline[] }
  | { readonly table: { readonly head: readonly Inline[]; readonly rows: readonly (readonly Inline[])[] } }
  | { readonly code: string; readonly lang?: string };

/** A page: where it lives below the docs root (`drivers/file.md`), its title and blocks. */
export interface Page {
  readonly path: string;
  readonly title: string;
  readonly blocks: readonly Block[];
}

/** The anchor id of a heading, as GitHub derives it for simple headings. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*[\]()]/g, '')
    .replace(/[^a-z0-9 _-]/g, '')
    .trim()
    .replace(/ /g, '-');
}

/** A link from inline text to a page (path from the docs root) and optional anchor. */
export function link(text: string, target: string): Inline {
  return `[${text}](${target})`;
}

/** Inline code, safe for any content without backticks. */
export function code(text: string): Inline {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** Flattens text to one line, so it fits a table cell or a paragraph. */
export function plain(text: string): Inline {
  return text.replace(/\s*\n\s*/g, ' ');
}
