import type { ErrorObject } from 'ajv';

/** Request text in fault messages: escaped when quoted, and ajv errors worded for a person. */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const MAX_ECHO = 255;

/**
 * Request text (a URL, a name, a parameter value) made safe to echo in a fault message:
 * HTML-escaped, because clients and dashboards show fault messages in web pages; control
 * characters written as `\uXXXX`, because a terminal or log viewer would act on them; and
 * cut to 255 characters, because the message is not a place to reflect a megabyte back.
 */
export function echoed(text: string): string {
  const cut = text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;
  return cut.replace(/[&<>"']/g, (c) => ENTITIES[c]!).replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * ajv errors as `where: problem` lines; `where` and unknown property names come from the
 * request, so they are {@link echoed}; ajv's own wording is kept as is.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined, rootName = ''): string[] {
  return (errors ?? []).map((e) => {
    const where = echoed(`${rootName}${e.instancePath || ''}`) || '(root)';
    if (e.keyword === 'additionalProperties') {
      return `${where}: unknown property "${echoed(String((e.params as { additionalProperty: string }).additionalProperty))}"`;
    }
    if (e.keyword === 'enum') {
      return `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return `${where}: ${e.message ?? e.keyword}`;
  });
}
