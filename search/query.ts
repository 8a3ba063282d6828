import { QuerySyntaxError } from './errors.js';

/**
 * The trace explorer's query language (pure; no I/O):
 *
 * - `word` / `"a phrase"` — free text, matched against the message and the error text;
 *   `pay*` matches by prefix; `*` alone matches everything.
 * - `field:value` / `field:"quoted value"` — exact match on a field (`service.name:orders`);
 *   `field:a,b` matches any of the values; `field:val*` matches by prefix.
 * - `-clause` or `NOT clause` — negation. `AND` between clauses is allowed (and implied).
 * - Short names: `service`, `level`, `transaction`/`tx`, `trace`, `request`, `logger`, `error`.
 */
export type Clause =
  | {
      readonly kind: 'text';
      /** The word or phrase, unquoted. */
      readonly value: string;
      readonly phrase: boolean;
      readonly prefix: boolean;
      readonly negate: boolean;
    }
  | {
      readonly kind: 'field';
      /** Full dotted path in the event schema, aliases resolved (e.g. `service.name`). */
      readonly field: string;
      /** One or more values (any of them matches). */
      readonly values: readonly string[];
      readonly prefix: boolean;
      readonly negate: boolean;
    };

/** A parsed query: every clause must hold (AND). An empty list matches everything. */
export interface ParsedQuery {
  readonly clauses: readonly Clause[];
}

/** Short field names users can type, and the schema path each stands for. */
export const FIELD_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  service: 'service.name',
  level: 'log.level',
  transaction: 'transaction.id',
  tx: 'transaction.id',
  trace: 'trace.id',
  request: 'faas.execution',
  logger: 'log.logger',
  error: 'error.type',
  group: 'aws.cloudwatch.log_group',
  stream: 'aws.cloudwatch.log_stream',
});

const FIELD_RE = /^[A-Za-z_@][A-Za-z0-9_@.-]{0,199}$/;
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
/** Longest query accepted, in characters. */
const MAX_QUERY_LENGTH = 2000;

/** Resolves an alias and validates a field path; returns undefined when it is not a valid name. */
export function resolveField(name: string): string | undefined {
  const field = FIELD_ALIASES[name] ?? name;
  if (!FIELD_RE.test(field)) return undefined;
  const segments = field.split('.');
  if (segments.some((s) => s === '' || FORBIDDEN_SEGMENTS.has(s))) return undefined;
  return field;
}

interface Token {
  readonly text: string;
  readonly quoted: boolean;
  readonly start: number;
}

/** Reads a double-quoted string starting at `i` (the opening quote); `\"` and `\\` escape. */
function readQuoted(input: string, i: number): { value: string; end: number } {
  let value = '';
  let j = i + 1;
  while (j < input.length) {
    const c = input[j];
    if (c === '\\' && j + 1 < input.length) {
      value += input[j + 1];
      j += 2;
      continue;
    }
    if (c === '"') return { value, end: j + 1 };
    value += c;
    j += 1;
  }
  throw new QuerySyntaxError('unterminated quote: expected a closing "', i);
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Parses a query string into clauses. Throws {@link QuerySyntaxError} on malformed input. */
export function parseQuery(input: string): ParsedQuery {
  if (input.length > MAX_QUERY_LENGTH) {
    throw new QuerySyntaxError(
      `query is ${input.length} characters; expected at most ${MAX_QUERY_LENGTH}`,
      0,
    );
  }
  const clauses: Clause[] = [];
  let i = 0;
  let pendingNot: number | undefined;
  while (i < input.length) {
    if (isSpace(input[i])) {
      i += 1;
      continue;
    }
    const start = i;
    let negate = false;
    if (input[i] === '-' && i + 1 < input.length && !isSpace(input[i + 1])) {
      negate = true;
      i += 1;
    }
    if (input[i] === '"') {
      const q = readQuoted(input, i);
      i = q.end;
      const prefix = input[i] === '*';
      if (prefix) i += 1;
      if (!isSpace(input[i]) && i < input.length) {
        throw new QuerySyntaxError('expected a space after a quoted phrase', i);
      }
      pushText(clauses, { text: q.value, quoted: true, start }, prefix, negate || pendingNot !== undefined);
      pendingNot = undefined;
      continue;
    }
    // A bare word, possibly `field:value` or `field:"quoted value"`.
    let j = i;
    while (j < input.length && !isSpace(input[j]) && input[j] !== ':' && input[j] !== '"') j += 1;
    const head = input.slice(i, j);
    if (input[j] === ':' && head.length > 0) {
      const field = resolveField(head);
      if (field === undefined) {
        throw new QuerySyntaxError(
          'invalid field name: expected letters, digits, _ @ - separated by dots (e.g. service.name)',
          i,
        );
      }
      const valueStart = j + 1;
      let values: string[];
      let prefix = false;
      let end: number;
      if (input[valueStart] === '"') {
        const q = readQuoted(input, valueStart);
        values = [q.value];
        end = q.end;
        if (input[end] === '*') {
          prefix = true;
          end += 1;
        }
        if (end < input.length && !isSpace(input[end])) {
          throw new QuerySyntaxError('expected a space after a quoted value', end);
        }
      } else {
        end = valueStart;
        while (end < input.length && !isSpace(input[end])) end += 1;
        let raw = input.slice(valueStart, end);
        if (raw.includes('"')) throw new QuerySyntaxError('a quote may only open a value', valueStart);
        if (raw.endsWith('*')) {
          prefix = true;
          raw = raw.slice(0, -1);
        }
        values = raw.split(',').filter((v) => v.length > 0);
        if (values.length === 0) {
          throw new QuerySyntaxError(
            `missing value after "${head}:"; expected e.g. ${head}:value`,
            valueStart,
          );
        }
      }
      clauses.push({ kind: 'field', field, values, prefix, negate: negate || pendingNot !== undefined });
      pendingNot = undefined;
      i = end;
      continue;
    }
    // Plain word: read to the next space (quotes inside a word are literal characters).
    while (j < input.length && !isSpace(input[j])) j += 1;
    const word = input.slice(i, j);
    i = j;
    if (!negate && (word === 'AND' || word === '&&')) continue;
    if (!negate && word === 'NOT') {
      pendingNot = start;
      continue;
    }
    if (!negate && word === 'OR') {
      throw new QuerySyntaxError('OR is not supported: clauses are combined with AND; use field:a,b', start);
    }
    // `*` alone matches everything (as in Kibana): no clause.
    if (word === '*') {
      if (negate || pendingNot !== undefined)
        throw new QuerySyntaxError('a negated * would match nothing; expected a word or field:value', start);
      continue;
    }
    const prefix = word.length > 1 && word.endsWith('*');
    pushText(
      clauses,
      { text: prefix ? word.slice(0, -1) : word, quoted: false, start },
      prefix,
      negate || pendingNot !== undefined,
    );
    pendingNot = undefined;
  }
  if (pendingNot !== undefined) throw new QuerySyntaxError('NOT must be followed by a clause', pendingNot);
  return { clauses };
}

function pushText(clauses: Clause[], token: Token, prefix: boolean, negate: boolean): void {
  if (token.text.length === 0 && !token.quoted) return;
  if (token.text.trim().length === 0) return;
  clauses.push({ kind: 'text', value: token.text, phrase: token.quoted, prefix, negate });
}

/** Writes a parsed query back as a canonical query string (used for shareable URLs and tests). */
export function formatQuery(q: ParsedQuery): string {
  return q.clauses
    .map((c) => {
      const neg = c.negate ? '-' : '';
      const star = c.prefix ? '*' : '';
      if (c.kind === 'text') return `${neg}${c.phrase ? quote(c.value) : c.value}${star}`;
      const vals =
        c.values.length === 1 && needsQuote(c.values[0] ?? '')
          ? quote(c.values[0] ?? '')
          : c.values.join(',');
      return `${neg}${c.field}:${vals}${star}`;
    })
    .join(' ');
}

const needsQuote = (v: string): boolean => /[\s",:*]/.test(v) || v === '';
const quote = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
