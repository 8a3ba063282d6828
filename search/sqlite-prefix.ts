import type Database from 'better-sqlite3';
import { DICTIONARY_FIELDS } from '../sinks/sqlite/field-index.js';
import type { ParsedQuery, QueryNode, TermNode } from './query-ast.js';
import { formatQuery } from './query-print.js';

/**
 * True when the store has the number rollups and value dictionaries (layout 4): a reader such as
 * `sluice search` may open an older store that `sluice start` has not upgraded yet.
 */
export const hasFieldStats = (db: Database.Database): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'field_values_full'").get() !==
  undefined;

/** Most values a prefix may stand for and still be answered as those values. */
export const MAX_PREFIX_VALUES = 64;

/**
 * The values a prefix term stands for, from the field's value dictionary (`field_values`, see
 * `sinks/sqlite/field-stats.ts`): undefined when the field has none (not a dictionary field, or
 * too many distinct values) or when it would be more than {@link MAX_PREFIX_VALUES} values.
 */
function prefixValues(db: Database.Database, n: TermNode): string[] | undefined {
  if (!n.prefix || !DICTIONARY_FIELDS.has(n.field)) return undefined;
  if (db.prepare('SELECT 1 FROM field_values_full WHERE field = ?').get(n.field) !== undefined)
    return undefined;
  const known = db.prepare('SELECT value FROM field_values WHERE field = ?').pluck().all(n.field) as string[];
  const matched = known.filter((v) => n.values.some((p) => v.startsWith(p)));
  return matched.length > MAX_PREFIX_VALUES ? undefined : matched;
}

function expand(db: Database.Database, n: QueryNode): QueryNode {
  switch (n.kind) {
    case 'and':
    case 'or':
      return { ...n, children: n.children.map((c) => expand(db, c)) };
    case 'not':
      return { ...n, child: expand(db, n.child) };
    case 'term': {
      const values = prefixValues(db, n);
      if (values === undefined) return n;
      // No stored value starts with the prefix, so none equals it: the exact term matches nothing
      // (and, unlike a prefix, is an index lookup).
      return { ...n, values: values.length > 0 ? values : [n.values[0] ?? ''], prefix: false };
    }
    default:
      return n;
  }
}

/**
 * `q` with each prefix term on a field with a value dictionary replaced by the values of the
 * dictionary it matches (`log.logger:pay*` → `log.logger:payments,payroll`), which the field index
 * answers; the same events match. Other terms are left as they are.
 */
export function expandPrefixes(db: Database.Database, q: ParsedQuery): ParsedQuery {
  return hasFieldStats(db) ? { root: expand(db, q.root) } : q;
}

/** The first term of `n` that is still a prefix on a field other than the service or level. */
function firstPrefix(n: QueryNode): TermNode | undefined {
  switch (n.kind) {
    case 'and':
    case 'or':
      for (const c of n.children) {
        const t = firstPrefix(c);
        if (t) return t;
      }
      return undefined;
    case 'not':
      return firstPrefix(n.child);
    case 'term':
      return n.prefix && n.field !== 'service.name' && n.field !== 'log.level' ? n : undefined;
    default:
      return undefined;
  }
}

/**
 * In a query already passed through {@link expandPrefixes}: the first prefix term no value
 * dictionary answered (`attributes.tag:x*`, a prefix on a field without terms), as canonical query
 * text (`formatQuery`).
 * No index answers such a prefix (docs/store.md), so a search with it walks the time range.
 */
export function unindexedPrefix(q: ParsedQuery): string | undefined {
  const t = firstPrefix(q.root);
  return t ? formatQuery({ root: t }) : undefined;
}
