import type { LogLevel } from './schema.js';

const LOWER: readonly [string, LogLevel][] = [
  ['trace', 'trace'],
  ['trce', 'trace'],
  ['silly', 'trace'],
  ['debug', 'debug'],
  ['dbug', 'debug'],
  ['verbose', 'debug'],
  ['info', 'info'],
  ['information', 'info'],
  ['informational', 'info'],
  ['notice', 'info'],
  ['http', 'info'],
  ['log', 'info'],
  ['warn', 'warn'],
  ['warning', 'warn'],
  ['error', 'error'],
  ['err', 'error'],
  ['fail', 'error'],
  ['fatal', 'fatal'],
  ['critical', 'fatal'],
  ['crit', 'fatal'],
  ['alert', 'fatal'],
  ['emerg', 'fatal'],
  ['emergency', 'fatal'],
  ['panic', 'fatal'],
];

// Lower- and upper-case spellings are looked up directly (Powertools and Lambda write `INFO`).
const NAMES: ReadonlyMap<string, LogLevel> = new Map<string, LogLevel>([
  ...LOWER,
  ...LOWER.map(([name, level]): [string, LogLevel] => [name.toUpperCase(), level]),
]);

/**
 * Normalises a level: pino/bunyan numbers (10 trace … 60 fatal; values in between round down),
 * names in any case (Powertools `INFO`, Lambda `WARN`, winston `verbose`/`silly`, syslog
 * `critical`…, the short names of .NET's console logger `trce`/`dbug`/`fail`/`crit`). Returns `undefined` for anything else.
 */
export function normalizeLevel(value: unknown): LogLevel | undefined {
  if (typeof value === 'string') {
    const exact = NAMES.get(value);
    if (exact !== undefined) return exact;
    if (value.length > 16) return undefined;
    const lower = NAMES.get(value.toLowerCase());
    if (lower !== undefined) return lower;
    const n = Number(value);
    return value !== '' && Number.isFinite(n) ? fromNumber(n) : undefined;
  }
  if (typeof value === 'number') return fromNumber(value);
  return undefined;
}

function fromNumber(n: number): LogLevel | undefined {
  if (!Number.isFinite(n) || n < 10) return undefined;
  if (n < 20) return 'trace';
  if (n < 30) return 'debug';
  if (n < 40) return 'info';
  if (n < 50) return 'warn';
  if (n < 60) return 'error';
  return 'fatal';
}
