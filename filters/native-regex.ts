/**
 * The subset of RE2 syntax whose meaning is identical in JavaScript's own regex engine, so an
 * author pattern inside it can run natively (irregexp is many times faster than `re2js` on the
 * short strings of a log event) once `recheck` has proven it linear. The subset is deliberately
 * small: ASCII literals, escaped punctuation, `\d` `\w` `\b`, positive classes of ASCII
 * characters and ranges (with `\d` `\w`), groups `( )` and `(?: )`, `|`, `^` `$`, and the
 * quantifiers `? * + {n} {n,} {n,m}` (greedy or lazy). Everything else (`.`, `\s`, negated
 * classes, flags, named groups, non-ASCII, POSIX classes, …) stays on RE2: those differ between
 * the engines (Unicode spaces, code points versus UTF-16 units, line terminators).
 *
 * Why the subset agrees: every atom matches only ASCII characters with the same set in both
 * engines; both engines prefer alternatives and quantifier iterations the same way (RE2 in its
 * default Perl-like mode); without flags both read `^` and `$` as the start and end of the
 * whole text and `\b` with ASCII word characters.
 */

const LITERAL = /[A-Za-z0-9 _\-/,:;=@#%&'"<>!~`]/;
const ESCAPED_PUNCT = '.-\\/+*?()[]{}|^$';
const CLASS_LITERAL = /[A-Za-z0-9 _/,:;=@#%&'"<>!~`.+*?(){}|$]/;
const QUANTIFIER = /^(?:[?*+]|\{\d{1,4}(?:,\d{0,4})?\})\??/;

/** Reads a `[...]` class at `i` (the `[`); returns the index after `]`, or -1 outside the subset. */
function readClass(src: string, i: number): number {
  let j = i + 1;
  let items = 0;
  while (j < src.length && src[j] !== ']') {
    const c = src[j]!;
    let single: string | undefined;
    if (c === '\\') {
      const e = src[j + 1];
      if (e === 'd' || e === 'w') {
        j += 2;
        items++;
        continue;
      }
      if (e === undefined || !ESCAPED_PUNCT.includes(e)) return -1;
      single = e;
      j += 2;
    } else if (c === '-' && (items === 0 || src[j + 1] === ']')) {
      single = c;
      j++;
    } else if (CLASS_LITERAL.test(c)) {
      single = c;
      j++;
    } else return -1;
    // A range `a-z`: both ends alphanumeric, in order.
    if (src[j] === '-' && src[j + 1] !== ']' && j + 1 < src.length) {
      const hi = src[j + 1]!;
      if (!/[A-Za-z0-9]/.test(single) || !/[A-Za-z0-9]/.test(hi) || hi < single) return -1;
      j += 2;
    }
    items++;
  }
  return j < src.length && items > 0 ? j + 1 : -1;
}

/** True when `source` lies in the subset described above (syntax only; safety is checked apart). */
export function inNativeSubset(source: string): boolean {
  let i = 0;
  let depth = 0;
  // Whether a quantifier may follow: after an atom or a closed group, not after ( | ^ $ \b or another quantifier.
  let quantifiable = false;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      const e = source[i + 1];
      if (e === 'd' || e === 'w' || (e !== undefined && ESCAPED_PUNCT.includes(e))) quantifiable = true;
      else if (e === 'b') quantifiable = false;
      else return false;
      i += 2;
    } else if (c === '[') {
      i = readClass(source, i);
      if (i < 0) return false;
      quantifiable = true;
    } else if (c === '(') {
      if (source[i + 1] === '?') {
        if (source[i + 2] !== ':') return false;
        i += 3;
      } else i++;
      depth++;
      quantifiable = false;
    } else if (c === ')') {
      if (depth === 0) return false;
      depth--;
      i++;
      quantifiable = true;
    } else if (c === '|' || c === '^' || c === '$') {
      i++;
      quantifiable = false;
    } else if (c === '?' || c === '*' || c === '+' || c === '{') {
      const q = QUANTIFIER.exec(source.slice(i));
      if (!quantifiable || !q) return false;
      i += q[0].length;
      quantifiable = false;
    } else if (LITERAL.test(c)) {
      i++;
      quantifiable = true;
    } else return false;
  }
  return depth === 0;
}
