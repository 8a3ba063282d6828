import { fieldType, LEVELS, resolveField, suggestField } from './fields.js';
import type { ParsedQuery, QueryNode, RangeBound, RangeNode, RangeValue, TextNode } from './query-ast.js';
import { isSpace, isStop, QueryScanner } from './query-scanner.js';
import { closestLevel, NUMBER_RE, readRangeValue } from './query-values.js';

/**
 * The grammar (the reference with examples is `docs/query.md`; `*` repeats, `?` is optional):
 *
 *     query   = or?                                     (empty or `*` matches everything)
 *     or      = and ( "OR" and )*
 *     and     = unary ( "AND"? unary )*                 (juxtaposition is AND)
 *     unary   = ( "NOT" | "-" ) unary | primary         (precedence NOT > AND > OR)
 *     primary = "(" or ")" | clause
 *     clause  = field ":" value-set                     service:orders  level:warn,error  service:pay*
 *             | field ":" quoted "*"?                   service:"my service"
 *             | field ":" "*"                           error.type:*           (exists)
 *             | field ":"? cmp value                    duration>100  @timestamp>=now-5m
 *             | field ":" ("[" | "{") value "TO" value ("]" | "}")     duration:[100 TO 500}
 *             | word "*"? | quoted "*"?                 timeout  pay*  "card declined"
 *     cmp     = ">" | ">=" | "<" | "<="
 *     quoted  = '"' ( char | '\"' | '\\' )* '"'
 *
 * A bare word ends at a space, `(`, `)` or `"`; keywords `AND`, `OR`, `NOT` are upper-case.
 */
const MAX_QUERY_LENGTH = 2000;

const ALL: QueryNode = { kind: 'all' };
/** FTS5 (unicode61) and the OpenSearch `sluice_text` analyzer index letters and digits only. */
const hasTokens = (s: string): boolean => /[\p{L}\p{N}]/u.test(s);

/** Parses a query string into its tree. Throws {@link QuerySyntaxError} on anything malformed. */
export function parseQuery(input: string): ParsedQuery {
  return { root: new Parser(input).query() };
}

class Parser extends QueryScanner {
  query(): QueryNode {
    if (this.src.length > MAX_QUERY_LENGTH)
      this.fail('the query is too long', 0, this.src.length, `${this.src.length} characters`, [
        `at most ${MAX_QUERY_LENGTH} characters`,
      ]);
    this.skipSpace();
    if (this.eof()) return ALL;
    const root = this.or();
    this.skipSpace();
    if (!this.eof())
      this.fail('unmatched closing parenthesis', this.pos, 1, '")"', ['a clause', 'end of query']);
    return root;
  }

  private or(): QueryNode {
    const children = [this.and()];
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      if (!this.atKeyword('OR')) {
        this.pos = save;
        break;
      }
      const at = this.pos;
      this.pos += 2;
      this.skipSpace();
      if (this.eof() || this.peek() === ')' || this.atKeyword('OR') || this.atKeyword('AND'))
        this.fail('OR needs a clause on its right', at, this.pos - at + 1, this.describeHere(), [
          'a clause after OR',
        ]);
      children.push(this.and());
    }
    if (children.some((c) => c.kind === 'all')) return ALL;
    // `a OR (b OR c)` is one OR of three: the tree has one shape per meaning (parse ∘ format).
    const flat = children.flatMap((c) => (c.kind === 'or' ? c.children : [c]));
    if (flat.length > 1) return { kind: 'or', children: flat };
    return children.length === 1 ? (children[0] as QueryNode) : { kind: 'or', children };
  }

  private and(): QueryNode {
    if (this.atKeyword('AND') || this.atKeyword('OR'))
      this.fail('an operator needs a clause on its left', this.pos, 3, this.describeHere(), ['a clause']);
    const children = [this.unary()];
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      if (this.eof() || this.peek() === ')' || this.atKeyword('OR')) {
        this.pos = save;
        break;
      }
      if (this.atKeyword('AND')) {
        const at = this.pos;
        this.pos += 3;
        this.skipSpace();
        if (this.eof() || this.peek() === ')' || this.atKeyword('OR') || this.atKeyword('AND'))
          this.fail('AND needs a clause on its right', at, this.pos - at + 1, this.describeHere(), [
            'a clause after AND',
          ]);
      }
      children.push(this.unary());
    }
    const kept = children
      .filter((c) => c.kind !== 'all')
      .flatMap((c) => (c.kind === 'and' ? c.children : [c]));
    if (kept.length === 0) return ALL;
    return kept.length === 1 ? (kept[0] as QueryNode) : { kind: 'and', children: kept };
  }

  private unary(): QueryNode {
    const at = this.pos;
    let negated = false;
    if (this.atKeyword('NOT')) {
      this.pos += 3;
      this.skipSpace();
      negated = true;
    } else if (this.peek() === '-') {
      this.pos += 1;
      negated = true;
      if (isSpace(this.peek()) || this.eof())
        this.fail('- must be followed directly by a clause', at, 1, this.describeHere(), [
          'a clause right after - (e.g. -service:api)',
        ]);
    }
    if (!negated) return this.primary();
    if (this.eof() || this.peek() === ')' || this.atKeyword('AND') || this.atKeyword('OR'))
      this.fail('NOT needs a clause', at, this.pos - at + 1, this.describeHere(), ['a clause to negate']);
    this.enter(at);
    const child = this.unary();
    this.depth -= 1;
    if (child.kind === 'all')
      this.fail('a negated * would match nothing', at, this.pos - at, '"*"', ['a clause other than *']);
    return { kind: 'not', child };
  }

  private primary(): QueryNode {
    const c = this.peek();
    if (c === '(') {
      const open = this.pos;
      this.enter(open);
      this.pos += 1;
      this.skipSpace();
      if (this.peek() === ')') this.fail('empty parentheses', this.pos, 1, '")"', ['a clause inside ( )']);
      if (this.eof()) this.fail('unclosed parenthesis', open, 1, 'end of query', ['a clause', '")"']);
      const inner = this.or();
      this.skipSpace();
      if (this.peek() !== ')')
        this.fail('unclosed parenthesis', this.eof() ? open : this.pos, 1, this.describeHere(), ['")"']);
      this.pos += 1;
      this.depth -= 1;
      this.expectEnd();
      return inner;
    }
    if (c === ')') this.fail('unmatched closing parenthesis', this.pos, 1, '")"', ['a clause']);
    if (c === '"') {
      const at = this.pos;
      const q = this.quoted();
      const prefix = this.star();
      this.expectEnd();
      if (!hasTokens(q)) return this.noTokens(at);
      return { kind: 'text', value: q, quoted: true, prefix };
    }
    return this.clause();
  }

  /** A field clause or a bare word. */
  private clause(): QueryNode {
    const start = this.pos;
    let i = this.pos;
    while (!isStop(this.src[i]) && this.src[i] !== ':' && this.src[i] !== '>' && this.src[i] !== '<') i += 1;
    const head = this.src.slice(start, i);
    const sep = this.src[i];
    if (sep === ':' || sep === '>' || sep === '<') {
      if (head.length === 0)
        this.fail(`a field name is missing before "${sep}"`, start, 1, `"${sep}"`, [
          'a field name (e.g. service.name)',
        ]);
      const field = this.field(head, start);
      this.pos = i + (sep === ':' ? 1 : 0);
      const node = this.fieldValue(field, head, start);
      this.expectEnd();
      return node;
    }
    // A bare word.
    while (!isStop(this.src[i])) i += 1;
    let word = this.src.slice(start, i);
    this.pos = i;
    this.expectEnd();
    if (word === '*') return ALL;
    const prefix = word.endsWith('*');
    if (prefix) word = word.slice(0, -1);
    const star = word.indexOf('*');
    if (star >= 0)
      this.fail('a * wildcard may only end a word', start + star, 1, '"*"', [
        'a word without * inside (quote it to search for *)',
      ]);
    if (!hasTokens(word)) return this.noTokens(start);
    return { kind: 'text', value: word, quoted: false, prefix };
  }

  /** The value part of a field clause; `this.pos` is after the `:` (or at the comparison). */
  private fieldValue(field: string, head: string, fieldStart: number): QueryNode {
    const type = fieldType(field);
    const c = this.peek();
    if (c === '>' || c === '<') {
      const opStart = this.pos;
      const inclusive = this.src[this.pos + 1] === '=';
      this.pos += inclusive ? 2 : 1;
      const { raw, at } = this.rawValue(`${head}${c}${inclusive ? '=' : ''}`);
      if (field === 'log.level') return this.levelRange(raw.toLowerCase(), c, inclusive, at);
      const bound: RangeBound = { value: this.rangeValue(field, raw, at), inclusive };
      this.checkRangeField(field, opStart);
      return c === '>' ? { kind: 'range', field, lower: bound } : { kind: 'range', field, upper: bound };
    }
    if (c === '[' || c === '{') return this.bracketRange(field);
    if (c === '*' && isStop(this.src[this.pos + 1])) {
      this.pos += 1;
      return { kind: 'exists', field };
    }
    if (c === '(')
      this.fail(`a value is missing after "${head}:"`, this.pos, 1, '"("', [
        `a value (several: ${head}:a,b; one with parentheses in quotes: ${head}:"a(b)")`,
      ]);
    if (c === '"') {
      const q = this.quoted();
      return this.term(field, type, [q], this.star(), true, fieldStart);
    }
    const { raw, at } = this.rawValue(`${head}:`);
    let values = raw;
    const prefix = values.endsWith('*');
    if (prefix) values = values.slice(0, -1);
    const star = values.indexOf('*');
    if (star >= 0)
      this.fail('a * wildcard may only end a value', at + star, 1, '"*"', ['a value without * inside']);
    const parts = values.split(',');
    const empty = parts.findIndex((p) => p.length === 0);
    if (empty >= 0)
      this.fail('an empty value in a list', at, raw.length, 'an empty value', [
        'values separated by single commas',
      ]);
    return this.term(field, type, parts, prefix, false, fieldStart);
  }

  private term(
    field: string,
    type: ReturnType<typeof fieldType>,
    values: string[],
    prefix: boolean,
    quoted: boolean,
    at: number,
  ): QueryNode {
    const end = this.pos;
    if (type === 'text') {
      if (values.length > 1)
        this.fail('a text field takes one value', at, end - at, 'a list of values', [
          'one word or "a phrase"',
        ]);
      const value = values[0] as string;
      if (!hasTokens(value)) return this.noTokens(at, end - at);
      const node: TextNode = { kind: 'text', value, quoted, prefix, field: field as TextNode['field'] };
      return node;
    }
    if (type === 'time')
      this.fail(`${field} is a time`, at, end - at, 'an exact value', [
        `a range such as ${field}>=now-1h or ${field}:[a TO b]`,
      ]);
    if (type === 'number' || type === 'boolean') {
      if (prefix) this.fail(`${field} is a ${type}`, at, end - at, 'a prefix *', [`a ${type}`]);
      const bad = values.find((v) =>
        type === 'number' ? !NUMBER_RE.test(v) : v !== 'true' && v !== 'false',
      );
      if (bad !== undefined)
        this.fail(`${field} is a ${type}`, at, end - at, 'another value', [
          type === 'number' ? 'a number' : 'true or false',
        ]);
    }
    if (field === 'log.level') {
      const lowered = values.map((v) => v.toLowerCase());
      const bad = lowered.find((v) => !prefix && !LEVELS.includes(v));
      if (bad !== undefined)
        this.fail('unknown level', at, end - at, 'another level', [LEVELS.join(', ')], closestLevel(bad));
      return { kind: 'term', field, values: lowered, prefix };
    }
    return { kind: 'term', field, values, prefix };
  }

  /** `level>=warn` is the set of levels at least that severe (levels have an order, not a text one). */
  private levelRange(level: string, op: '>' | '<', inclusive: boolean, at: number): QueryNode {
    const i = LEVELS.indexOf(level);
    if (i < 0)
      this.fail(
        'unknown level',
        at,
        this.pos - at,
        'another level',
        [LEVELS.join(', ')],
        closestLevel(level),
      );
    const values = LEVELS.filter((_, j) => (op === '>' ? j > i : j < i) || (inclusive && j === i));
    if (values.length === 0)
      this.fail('no level is beyond that one', at, this.pos - at, 'an empty set of levels', [
        'a level between trace and fatal',
      ]);
    return { kind: 'term', field: 'log.level', values, prefix: false };
  }

  private bracketRange(field: string): RangeNode {
    const open = this.pos;
    const lowerInclusive = this.peek() === '[';
    this.pos += 1;
    this.skipSpace();
    const lo = this.rangeWord(['a lower bound (or *)']);
    this.skipSpace();
    if (!this.src.startsWith('TO', this.pos) || !isStop(this.src[this.pos + 2]))
      this.fail('a range needs TO', this.pos, 1, this.describeHere(), [
        'TO between the bounds (e.g. [100 TO 500])',
      ]);
    this.pos += 2;
    this.skipSpace();
    const hi = this.rangeWord(['an upper bound (or *)']);
    this.skipSpace();
    const close = this.peek();
    if (close !== ']' && close !== '}')
      this.fail('unclosed range', this.eof() ? open : this.pos, 1, this.describeHere(), ['"]" or "}"']);
    this.pos += 1;
    this.checkRangeField(field, open);
    const node: { kind: 'range'; field: string; lower?: RangeBound; upper?: RangeBound } = {
      kind: 'range',
      field,
    };
    if (lo.raw !== '*')
      node.lower = { value: this.rangeValue(field, lo.raw, lo.at), inclusive: lowerInclusive };
    if (hi.raw !== '*')
      node.upper = { value: this.rangeValue(field, hi.raw, hi.at), inclusive: close === ']' };
    if (!node.lower && !node.upper)
      return this.fail('a range needs at least one bound', open, this.pos - open, '[* TO *]', [
        `${field}:* for "has the field"`,
      ]);
    return node;
  }

  private checkRangeField(field: string, opAt: number): void {
    const type = fieldType(field);
    if (type === 'text' || type === 'boolean')
      this.fail(
        `${field} is ${type === 'text' ? 'text' : 'a boolean'}: it has no order`,
        opAt,
        1,
        'a range',
        [`${field}:value`],
      );
  }

  private rangeValue(field: string, raw: string, at: number): RangeValue {
    const v = readRangeValue(field, raw);
    if ('problem' in v)
      return this.fail(v.problem, at, Math.max(1, this.pos - at), 'another value', v.expected);
    return v;
  }

  /** Resolves a field name or fails with a suggestion. */
  private field(name: string, at: number): string {
    const r = resolveField(name);
    if ('path' in r) return r.path;
    if (r.problem === 'invalid')
      this.fail('invalid field name', at, name.length, `field name ${describeName(name)}`, [
        'letters, digits, _ @ - separated by dots (e.g. service.name); quote text that contains ":"',
      ]);
    return this.fail(
      `unknown field ${describeName(name)}`,
      at,
      name.length,
      `field ${describeName(name)}`,
      ['a field of the event schema or attributes.<name> (quote text that contains ":")'],
      r.suggestion ?? suggestField(name),
    );
  }
}

/** A field name for an error message: short names as typed, others by length only. */
function describeName(name: string): string {
  return name.length <= 40 ? name : `of ${name.length} characters`;
}
