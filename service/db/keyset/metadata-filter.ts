/**
 * The `metadata={"k": "v"}` list filter as a WHERE clause over a JSON text column, so it
 * runs in the database (before paging and counting) instead of on every row in JavaScript.
 */
import type { Kysely, RawBuilder, SqlBool } from 'kysely';
import { kysely } from '../kysely-runtime.js';

const { sql } = kysely;

/**
 * Rows whose JSON object in `column` has every given key with exactly the given string
 * value. Keys are bound parameters, never spliced into a JSON path, so any key text is safe.
 *
 * @param column - A text column holding a flat JSON object of strings (user metadata).
 */
export function metadataMatches(db: Kysely<any>, column: string, wanted: Readonly<Record<string, string>>): RawBuilder<SqlBool> | undefined {
  const entries = Object.entries(wanted);
  if (entries.length === 0) return undefined;
  const adapter = db.getExecutor().adapter;
  const c = sql.ref(column);
  const one = ([k, v]: [string, string]): RawBuilder<SqlBool> => {
    if (adapter instanceof kysely.PostgresAdapter) return sql<SqlBool>`(${c}::jsonb ->> ${k}::text) = ${v}::text`;
    if (adapter instanceof kysely.MysqlAdapter) return sql<SqlBool>`json_contains(${c}, json_object(${k}, ${v}))`;
    return sql<SqlBool>`exists (select 1 from json_each(${c}) as m where m.key = ${k} and m.type = 'text' and m.value = ${v})`;
  };
  return sql<SqlBool>`(${sql.join(entries.map(one), sql` and `)})`;
}
