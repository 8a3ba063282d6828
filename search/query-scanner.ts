import { QuerySyntaxError } from './errors.js';

/** Deepest nesting of parentheses and NOTs a query may have. */
const MAX_DEPTH = 64;

export const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r';
/** Characters that end a bare word. */
export const isStop = (c: string | undefined): boolean =>
  c === undefined || isSpace(c) || c === '(' || c === ')' || c === '"';
const KEYWORDS = new Set(['AND', 'OR', 'NOT']);

/**
 * The character-level half of the query parser (`query.ts`): the position in the text, quoted
 * strings, bare values, keywords, nesting depth and the positioned {@link QuerySyntaxError}s. The
 * grammar itself lives in the parser that extends it.
 */
export abstract class QueryScanner {
  protected pos = 0;
  protected depth = 0;

  constructor(protected readonly src: string) {}

  protected rangeWord(expected: string[]): { raw: string; at: number } {
    const at = this.pos;
    if (this.peek() === '"') return { raw: this.quoted(), at };
    let i = this.pos;
    while (!isStop(this.src[i]) && this.src[i] !== ']' && this.src[i] !== '}') i += 1;
    if (i === at) this.fail('a range bound is missing', at, 1, this.describeHere(), expected);
    this.pos = i;
    return { raw: this.src.slice(at, i), at };
  }

  /** A comparison's value: quoted, or a bare word. */
  protected rawValue(after: string): { raw: string; at: number } {
    const at = this.pos;
    if (this.peek() === '"') return { raw: this.quoted(), at };
    let i = this.pos;
    while (!isStop(this.src[i])) i += 1;
    if (i === at)
      this.fail(`a value is missing after "${after}"`, at, 1, this.describeHere(), [
        `a value (e.g. ${after}value)`,
      ]);
    this.pos = i;
    return { raw: this.src.slice(at, i), at };
  }

  /** Reads a double-quoted string at `this.pos`; `\"` and `\\` escape. */
  protected quoted(): string {
    const open = this.pos;
    let value = '';
    let j = open + 1;
    while (j < this.src.length) {
      const c = this.src[j] as string;
      if (c === '\\' && j + 1 < this.src.length) {
        value += this.src[j + 1];
        j += 2;
        continue;
      }
      if (c === '"') {
        this.pos = j + 1;
        return value;
      }
      value += c;
      j += 1;
    }
    return this.fail('unterminated quote', open, this.src.length - open, 'end of query', ['a closing "']);
  }

  protected star(): boolean {
    if (this.peek() !== '*') return false;
    this.pos += 1;
    return true;
  }

  /** After a clause: a space, `)` or the end (so `a"b"` and `level:error(` are errors). */
  protected expectEnd(): void {
    const c = this.peek();
    if (c === undefined || isSpace(c) || c === ')') return;
    this.fail('clauses must be separated by a space', this.pos, 1, this.describeHere(), [
      'a space',
      '")"',
      'end of query',
    ]);
  }

  /** Free text without letters or digits can match nothing: refused rather than silently empty. */
  protected noTokens(at: number, length = this.pos - at): never {
    return this.fail('the text has no letters or digits to search for', at, length, 'only punctuation', [
      'a word or phrase with letters or digits',
    ]);
  }

  protected enter(at: number): void {
    this.depth += 1;
    if (this.depth > MAX_DEPTH)
      this.fail('the query nests too deeply', at, 1, `more than ${MAX_DEPTH} levels`, [
        `at most ${MAX_DEPTH}`,
      ]);
  }

  protected atKeyword(k: string): boolean {
    return KEYWORDS.has(k) && this.src.startsWith(k, this.pos) && isStop(this.src[this.pos + k.length]);
  }

  protected peek(): string | undefined {
    return this.src[this.pos];
  }

  protected eof(): boolean {
    return this.pos >= this.src.length;
  }

  protected skipSpace(): void {
    while (isSpace(this.src[this.pos])) this.pos += 1;
  }

  protected describeHere(): string {
    if (this.eof()) return 'end of query';
    const c = this.peek() as string;
    if (this.atKeyword('AND') || this.atKeyword('OR') || this.atKeyword('NOT')) return 'an operator';
    if (c === '"') return 'a quote';
    return c === '(' || c === ')' || c === '*' || c === '-' ? `"${c}"` : isSpace(c) ? 'a space' : 'a word';
  }

  protected fail(
    problem: string,
    position: number,
    length: number,
    found: string,
    expected: readonly string[],
    suggestion?: string,
  ): never {
    throw new QuerySyntaxError(problem, {
      position: Math.min(position, this.src.length),
      length,
      found,
      expected,
      suggestion,
    });
  }
}
