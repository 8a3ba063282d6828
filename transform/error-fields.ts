/** The `error.*` fields of a LogEvent. */
export interface ErrorFields {
  type?: string;
  message?: string;
  stack_trace?: string;
}

const STACK_HEAD =
  /^([A-Za-z_$][\w$.]*?(?:Error|Exception|Fault)|Error|Uncaught [A-Za-z]+)(?:\s*\[[^\]\n]{0,80}\])?:\s?([^\n]*)/;
const STACK_FRAME = /\n\s+at [^\n]/;

/** True when the text contains a JavaScript (V8) stack frame line (`\n    at …`). */
export function looksLikeStack(text: string): boolean {
  return stackStart(text) !== -1;
}

/** Index of the line break before the first V8 stack frame (`\n    at …`), or -1. */
export function stackStart(text: string): number {
  if (text.length >= 1_000_000) return -1;
  const m = STACK_FRAME.exec(text);
  return m === null ? -1 : m.index;
}

/**
 * Reads `error.*` from a stack trace text (`TypeError: msg\n    at …`): the whole text is the
 * stack trace, the first line gives type and message when it has the `Name: message` form.
 */
export function errorFromStack(stack: string): ErrorFields {
  const out: ErrorFields = { stack_trace: stack };
  const head = STACK_HEAD.exec(stack);
  if (head) {
    out.type = head[1]!;
    out.message = head[2]!;
  }
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function stackText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join('\n');
  return undefined;
}

/** Keys of an error object that {@link errorFromObject} moves into `error.*`. */
const ERROR_KEYS = new Set([
  'type',
  'name',
  'errorType',
  'message',
  'errorMessage',
  'msg',
  'stack',
  'stackTrace',
]);

/**
 * Reads `error.*` from an error object as loggers write it: pino/bunyan `err` (`type`/`name`,
 * `message`, `stack`), Powertools `error` (`name`, `message`, `stack`, `location`), the Lambda
 * runtime's (`errorType`, `errorMessage`, `stack`/`stackTrace` as an array of lines). Returns the
 * fields and the object's other keys (`rest`, undefined when none), which stay in attributes.
 */
export function errorFromObject(
  obj: Record<string, unknown>,
): { fields: ErrorFields; rest: Record<string, unknown> | undefined } | undefined {
  const type = str(obj['type']) ?? str(obj['name']) ?? str(obj['errorType']);
  const message = str(obj['message']) ?? str(obj['errorMessage']) ?? str(obj['msg']);
  const stack = stackText(obj['stack']) ?? stackText(obj['stackTrace']);
  if (type === undefined && message === undefined && stack === undefined) return undefined;
  const fields: ErrorFields = stack !== undefined ? errorFromStack(stack) : {};
  if (type !== undefined) fields.type = type;
  if (message !== undefined) fields.message = message;
  let rest: Record<string, unknown> | undefined;
  for (const k of Object.keys(obj)) {
    if (ERROR_KEYS.has(k)) continue;
    rest ??= {};
    defineOwn(rest, k, obj[k]);
  }
  return { fields, rest };
}

/**
 * Sets `obj[key] = value` as an own data property, also for `__proto__` (which a plain assignment
 * would turn into a prototype change).
 */
export function defineOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}
