/** The `error.*` fields of a LogEvent. */
export interface ErrorFields {
  type?: string;
  message?: string;
  stack_trace?: string;
}

const STACK_HEAD =
  /^([A-Za-z_$][\w$.]*?(?:Error|Exception|Fault)|Error|Uncaught [A-Za-z]+)(?:\s*\[[^\]\n\r]{0,80}\])?:[ \t]?([^\n\r]*)/;
// A frame line of a V8, Java or .NET stack (`\n    at …`, `\n\tat …`), also with the `\r` line
// separator the Lambda runtimes write so that a multi-line message stays one CloudWatch event, or
// the start of a Python traceback: one scan of the text finds either.
const STACK_FRAME = /[\n\r][ \t]+at [^\n\r]|Traceback \(most recent call last\):/;
const PY_TRACEBACK = 'Traceback (most recent call last):';
// The last line of a Python traceback: `module.ErrorName: message` or `ErrorName`.
const PY_LAST = /(?:^|[\n\r])([A-Za-z_][\w.]{0,200})(?:: ([^\n\r]*))?[\n\r]*$/;

/** True when the text contains a V8/Java/.NET stack frame line or a Python traceback. */
export function looksLikeStack(text: string): boolean {
  return stackStart(text) !== -1;
}

/**
 * Index where the stack trace of a text starts: the line break before the first V8/Java/.NET
 * frame (`\n    at …`, also `\r`-separated), or the start of a Python `Traceback (most recent
 * call last):`; -1 when there is none.
 */
export function stackStart(text: string): number {
  if (text.length >= 1_000_000) return -1;
  const m = STACK_FRAME.exec(text);
  return m === null ? -1 : m.index;
}

/**
 * Reads `error.*` from a stack trace text: the whole text is the stack trace; type and message
 * come from the first line when it has the `Name: message` form (V8, Java, .NET), or from the
 * last line of a Python traceback.
 */
export function errorFromStack(stack: string): ErrorFields {
  const out: ErrorFields = { stack_trace: stack };
  const head = STACK_HEAD.exec(stack);
  if (head) {
    out.type = head[1]!;
    out.message = head[2]!;
    return out;
  }
  if (stack.startsWith(PY_TRACEBACK)) {
    const last = PY_LAST.exec(stack.length > 4096 ? stack.slice(-4096) : stack);
    if (last && !last[1]!.startsWith('File')) {
      out.type = last[1]!;
      if (last[2] !== undefined) out.message = last[2];
    }
  }
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A Go runtime frame (`{"path","line","label"}`) as a line. */
function frameLine(x: unknown): string | undefined {
  if (typeof x === 'string') return x;
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return undefined;
  const f = x as Record<string, unknown>;
  if (typeof f['label'] !== 'string' && typeof f['path'] !== 'string') return undefined;
  const where = `${String(f['path'] ?? '?')}${f['line'] === undefined ? '' : `:${String(f['line'])}`}`;
  return typeof f['label'] === 'string' ? `${f['label']} (${where})` : where;
}

/** A stack as text: a string, or an array of lines or Go runtime frames joined by newlines. */
export function stackText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (!Array.isArray(v) || v.length > 10_000) return undefined;
  const lines: string[] = [];
  for (const x of v) {
    const line = frameLine(x);
    if (line === undefined) return undefined;
    lines.push(line);
  }
  return lines.join('\n');
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
  'stack_trace',
]);

/**
 * Reads `error.*` from an error object as loggers write it: pino/bunyan `err` (`type`/`name`,
 * `message`, `stack`), Powertools `error` (`name`, `message`, `stack`, `location`), the Lambda
 * runtime's (`errorType`, `errorMessage`, `stack`/`stackTrace` as an array of lines or of Go
 * frames), ECS `error` (`type`, `message`, `stack_trace`). Returns the
 * fields and the object's other keys (`rest`, undefined when none), which stay in attributes.
 */
export function errorFromObject(
  obj: Record<string, unknown>,
): { fields: ErrorFields; rest: Record<string, unknown> | undefined } | undefined {
  const type = str(obj['type']) ?? str(obj['name']) ?? str(obj['errorType']);
  const message = str(obj['message']) ?? str(obj['errorMessage']) ?? str(obj['msg']);
  const stack = stackText(obj['stack']) ?? stackText(obj['stackTrace']) ?? stackText(obj['stack_trace']);
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
