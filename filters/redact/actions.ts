import { createHmac, createSecretKey } from 'node:crypto';

const HASH_MEMO_LIMIT = 4096;

/** A compiled redact action. */
export interface RedactAction {
  /** True for `remove`: fields are deleted, matched text is cut. */
  readonly remove: boolean;
  /** The replacement of one matched value or text. */
  readonly replace: (value: string) => string;
}

/** Fixed text. */
export function maskAction(text: string): RedactAction {
  return { remove: false, replace: () => text };
}

/** Keeps the last `n` characters; values of at most `2n` characters are masked entirely. */
export function partialAction(n: number): RedactAction {
  return {
    remove: false,
    replace: (v) => (v.length <= 2 * n ? '*'.repeat(v.length) : '*'.repeat(v.length - n) + v.slice(-n)),
  };
}

/**
 * HMAC-SHA256 with `key`: `hmac:` and the first 128 bits in hex. The same value always gives the
 * same token (under one key), so transactions stay correlatable without the value.
 */
export function hashAction(key: string): RedactAction {
  const secret = createSecretKey(Buffer.from(key, 'utf8'));
  // Values repeat (a session id on every line of a transaction): a small bounded memo.
  const memo = new Map<string, string>();
  return {
    remove: false,
    replace: (v) => {
      let token = memo.get(v);
      if (token === undefined) {
        token = `hmac:${createHmac('sha256', secret).update(v).digest('hex').slice(0, 32)}`;
        if (memo.size >= HASH_MEMO_LIMIT) memo.clear();
        memo.set(v, token);
      }
      return token;
    },
  };
}

/** Deletes fields, cuts matched text. */
export const removeAction: RedactAction = { remove: true, replace: () => '' };
