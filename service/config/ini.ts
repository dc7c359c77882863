import { AshlarError } from '../../core/errors/ashlar-error.js';

/** Sections of an INI file, each a map of key → raw string, in file order. */
export type IniDocument = Map<string, Map<string, string>>;

/**
 * Parses cinder.conf-style INI: `[section]` headers, `key = value` (or `key: value`),
 * `#`/`;` comment lines, indented continuation lines appended to the previous value.
 * Keys before any section belong to `DEFAULT`.
 *
 * @throws CONFIG_INVALID naming the file and line of a malformed line or a duplicate key.
 */
export function parseIni(text: string, source = 'config'): IniDocument {
  const doc: IniDocument = new Map();
  let section = 'DEFAULT';
  let lastKey: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const fail = (reason: string): never => {
      throw new AshlarError('CONFIG_INVALID', { details: { reason: `${source}:${i + 1}: ${reason}` } });
    };
    if (/^\s/.test(raw) && lastKey !== undefined) {
      const s = doc.get(section)!;
      s.set(lastKey, `${s.get(lastKey)}\n${line}`);
      continue;
    }
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      if (!doc.has(section)) doc.set(section, new Map());
      lastKey = undefined;
      continue;
    }
    const kv = /^([^=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
    if (!kv) fail(`expected "key = value" or "[section]", got "${line}"`);
    const key = kv![1]!.trim();
    if (!doc.has(section)) doc.set(section, new Map());
    const s = doc.get(section)!;
    if (s.has(key)) fail(`[${section}] ${key} is set twice`);
    s.set(key, kv![2]!.trim());
    lastKey = key;
  }
  return doc;
}
