import { stringify } from 'yaml';
import type { OpenApiDocument } from './build.js';

/** Output formats of the document. */
export type OpenApiFormat = 'yaml' | 'json';

/** The document as text: stable key order (the builder's), two-space indent, trailing newline. */
export function serializeOpenApi(doc: OpenApiDocument, format: OpenApiFormat): string {
  if (format === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  // lineWidth 0: never fold long descriptions, so diffs stay line-per-change.
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}
