/**
 * The secret key names of the default pack, shared with the component logger (`sluice/logger`
 * redacts the same keys at source). A small module without dependencies, so both can import it
 * and neither imports the other's code.
 */

/**
 * Key-name globs whose values are secrets wherever they appear in an event. Compared after
 * {@link normaliseKey} (lowercase, without `_ - .` and spaces); `*` matches any run of characters.
 */
export const SECRET_KEY_PATTERNS: readonly string[] = [
  '*password*',
  '*passwd*',
  'pwd',
  '*secret*',
  '*token',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  '*apikey',
  '*privatekey',
  '*credentials',
];

/** What the default pack (and the logger at source) writes in place of a secret key's value. */
export const SECRET_KEY_MASK = '[REDACTED:secret]';

/** Key names compare lowercase, without `_`, `-`, `.` and spaces. */
export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_. ]/g, '');
}

/** Compiles a `*` glob (already normalised) into a matcher; linear in the key for each part. */
export function compileGlob(pattern: string): (s: string) => boolean {
  if (!pattern.includes('*')) return (s) => s === pattern;
  const parts = pattern.split('*');
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  const middle = parts.slice(1, -1).filter((p) => p.length > 0);
  const minLength = first.length + last.length + middle.reduce((n, p) => n + p.length, 0);
  return (s) => {
    if (s.length < minLength || !s.startsWith(first) || !s.endsWith(last)) return false;
    let at = first.length;
    const stop = s.length - last.length;
    for (const part of middle) {
      const found = s.indexOf(part, at);
      if (found < 0 || found + part.length > stop) return false;
      at = found + part.length;
    }
    return true;
  };
}
