import { normalizeLevel } from '../levels.js';
import type { ParsedLine } from '../parsed.js';
import type { LogFormat, LogLevel } from '../schema.js';
import { toIsoMs } from '../time.js';

/**
 * What a text family reads from a line's prefix; the rest of the line is parsed by the caller
 * (JSON, a stack trace, or plain text) and the prefix's fields fill what the rest does not say.
 */
export interface TextPrefix {
  readonly format: LogFormat;
  readonly rest: string;
  readonly time?: string | undefined;
  /** A year-less time (RFC 3164), completed by the normaliser from the event's timestamp. */
  readonly yearlessTime?: string | undefined;
  readonly level?: LogLevel | undefined;
  readonly execution?: string | undefined;
  readonly logger?: string | undefined;
  readonly attributes?: Record<string, unknown>;
}

/** A text family for the docs table. */
export interface TextFamilyDoc {
  readonly title: string;
  readonly format: LogFormat;
  readonly recognisedBy: string;
  readonly fields: string;
}

const ISO_Z = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?Z';
const LEVELS = 'TRACE|DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL';
// A request id in UUID form (the AWS docs anonymise ids with letters such as `xmpl`, so not only hex).
const UUID = '[0-9a-zA-Z]{8}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{12}';

// Python runtime text format: `[LEVEL]\t<ISO time>\t<request id>\t<message>`.
const PY_TEXT = new RegExp(`^\\[(${LEVELS})\\]\\t(${ISO_Z})\\t([^\\t\\n\\r]{1,64})\\t`);
// Python runtime's own error line without time: `[ERROR] Type: message\rTraceback …` or
// `[ERROR] Runtime.ImportModuleError: …` (any other `[LEVEL] text` stays plain text).
const PY_BARE = /^\[ERROR\] (?=Runtime\.|[^\n\r]{0,4096}[\n\r]Traceback \(most recent call last\):)/;
// Ruby runtime: `I, [2019-10-25T12:00:00.123456 #8]  INFO <request id> -- progname: message`.
const RUBY =
  /^[DIWEFAU], \[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?) #\d{1,10}\] {1,2}(DEBUG|INFO|WARN|ERROR|FATAL|ANY) (?:([\w-]{8,64}) )?-- ([^:\n\r]{0,200}): /;
// A leading date-time and level (log4j / logback / Python logging patterns, Java runtime's
// log4j2 appender with the request id between them).
const TS_LEVEL = new RegExp(
  `^(\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d{1,9})?(?: ?(?:Z|[+-]\\d\\d:?\\d\\d))?)[ \\t]{1,4}(?:(${UUID})[ \\t]{1,4})?\\[?(${LEVELS}|NOTICE|SEVERE)\\]?(?=[\\s:\\]|-]|$)[ \\t:|\\]-]{0,4}`,
  'i',
);
// Python logging's documented `%(asctime)s - %(name)s - %(levelname)s - %(message)s` (the logging
// HOWTO and cookbook format): `2005-03-23 23:47:11,663 - spam_application - INFO - message`.
const PY_LOGGING = new RegExp(
  `^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:,\\d{3})?) - (\\S{1,200}) - (${LEVELS}) - `,
  'i',
);
// Go's standard `log` package: `2009/11/10 23:00:00 message`.
const GO_LOG = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d(?:\.\d{1,6})?) /;
// RFC 5424 syslog: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID `.
const SYSLOG_5424 = /^<(\d{1,3})>1 (\S{1,64}) (\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32}) /;
// RFC 3164 syslog with a PRI: `<PRI>Mmm dd hh:mm:ss HOST ` (no year: the normaliser completes it).
const SYSLOG_3164 = /^<(\d{1,3})>([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (\S{1,255}) /;
// The same header without a PRI, as a syslog file holds it: `Feb 20 11:28:15 host app[12]: msg`
// (only the twelve month names; the host must be followed by more text).
const SYSLOG_FILE =
  /^((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d) (\S{1,255}) (?=\S)/;

const SYSLOG_SEVERITY: readonly LogLevel[] = [
  'fatal',
  'fatal',
  'fatal',
  'error',
  'warn',
  'info',
  'info',
  'debug',
];

/**
 * The text families, tried by the first character of the line (so a line pays for at most two
 * anchored regexes): Lambda runtime text formats (Python, Ruby), a leading date-time and level,
 * Go's `log`, syslog. `undefined` when the line is none of them.
 */
export function matchTextPrefix(line: string, first: number): TextPrefix | undefined {
  if (first === 91 /* [ */) {
    const py = PY_TEXT.exec(line);
    if (py) {
      return {
        format: 'lambda_text',
        rest: line.slice(py[0].length),
        level: normalizeLevel(py[1]),
        time: toIsoMs(py[2]),
        execution: py[3] === 'None' ? undefined : py[3],
      };
    }
    const bare = PY_BARE.exec(line);
    if (bare)
      return { format: 'lambda_text', rest: line.slice(bare[0].length), level: normalizeLevel(bare[1]) };
    return undefined;
  }
  if (first >= 48 && first <= 57) {
    const ts = TS_LEVEL.exec(line);
    if (ts) {
      return {
        format: 'text',
        rest: line.slice(ts[0].length),
        time: toIsoMs(ts[1]),
        level: normalizeLevel(ts[3]!.toUpperCase()),
        execution: ts[2],
      };
    }
    const py = PY_LOGGING.exec(line);
    if (py) {
      return {
        format: 'text',
        rest: line.slice(py[0].length),
        time: toIsoMs(py[1]),
        level: normalizeLevel(py[3]!.toUpperCase()),
        logger: py[2],
      };
    }
    const go = GO_LOG.exec(line);
    if (go) {
      return {
        format: 'text',
        rest: line.slice(go[0].length),
        time: toIsoMs(`${go[1]}-${go[2]}-${go[3]}T${go[4]}`),
      };
    }
    return undefined;
  }
  if (first === 60 /* < */) {
    const m5 = SYSLOG_5424.exec(line);
    if (m5) {
      const pri = Number(m5[1]);
      const attributes: Record<string, unknown> = { syslog: { facility: pri >> 3, severity: pri & 7 } };
      const [host, app, procid, msgid] = [m5[3], m5[4], m5[5], m5[6]];
      if (host !== '-') attributes['host'] = host;
      if (app !== '-') attributes['app_name'] = app;
      if (procid !== '-') attributes['procid'] = procid;
      if (msgid !== '-') attributes['msgid'] = msgid;
      return {
        format: 'text',
        rest: line.slice(m5[0].length),
        level: pri <= 191 ? SYSLOG_SEVERITY[pri & 7] : undefined,
        time: m5[2] === '-' ? undefined : toIsoMs(m5[2]),
        attributes,
      };
    }
    const m3 = SYSLOG_3164.exec(line);
    if (m3) {
      const pri = Number(m3[1]);
      return {
        format: 'text',
        rest: line.slice(m3[0].length),
        level: pri <= 191 ? SYSLOG_SEVERITY[pri & 7] : undefined,
        yearlessTime: m3[2],
        attributes: { syslog: { facility: pri >> 3, severity: pri & 7, timestamp: m3[2] }, host: m3[3] },
      };
    }
    return undefined;
  }
  if (first >= 65 && first <= 83 /* A–S: the months' first letters */ && line.charCodeAt(3) === 32) {
    const sf = SYSLOG_FILE.exec(line);
    if (sf) {
      return {
        format: 'text',
        rest: line.slice(sf[0].length),
        yearlessTime: sf[1],
        attributes: { syslog: { timestamp: sf[1] }, host: sf[2] },
      };
    }
  }
  if (line.charCodeAt(1) === 44 /* , */) {
    const rb = RUBY.exec(line);
    if (rb) {
      return {
        format: 'lambda_text',
        rest: line.slice(rb[0].length),
        time: toIsoMs(rb[1]),
        level: normalizeLevel(rb[2]),
        execution: rb[3],
        logger: rb[4] === '' ? undefined : rb[4],
      };
    }
  }
  return undefined;
}

const REQUEST_ERROR = /^RequestId: ([\w-]{8,64}) Error: ([^\n\r]{0,4096})/;
const RUNTIME_ERROR_TYPE = /[\n\r](Runtime\.[A-Za-z]{1,64})[\n\r]*$/;

/**
 * The Lambda platform's error line of an invocation: `RequestId: <id> Error: Runtime exited
 * with error: exit status 1\nRuntime.ExitError`, `RequestId: <id> Error: Task timed out after …`.
 * An error event with the request id; `error.type` only when the line names it.
 */
export function parseRequestError(line: string): ParsedLine | undefined {
  const m = REQUEST_ERROR.exec(line);
  if (m === null) return undefined;
  const out: ParsedLine = {
    format: 'lambda_text',
    message: line,
    level: 'error',
    execution: m[1]!,
    error: { message: m[2]! },
  };
  const type = RUNTIME_ERROR_TYPE.exec(line.length > 200 ? line.slice(-200) : line);
  if (type) out.error!.type = type[1]!;
  return out;
}

/** The text families for the docs table. */
export const TEXT_FAMILIES: readonly TextFamilyDoc[] = [
  {
    title: 'Lambda Node.js / .NET runtime text format',
    format: 'lambda_text',
    recognisedBy: '`<ISO time>\\t<request id>\\t<LEVEL>\\t<message>`',
    fields:
      'time → `@timestamp`; request id → `faas.execution`; level → `log.level` (a JSON message keeps its own level); the message is parsed as JSON or text',
  },
  {
    title: 'Lambda Python runtime text format',
    format: 'lambda_text',
    recognisedBy:
      '`[LEVEL]\\t<ISO time>\\t<request id>\\t<message>`, and `[ERROR] Type: message` + traceback',
    fields:
      'time → `@timestamp`; request id → `faas.execution`; level → `log.level`; a Python traceback → `error.*` (type and message from its last line)',
  },
  {
    title: 'Lambda Ruby runtime (Logger)',
    format: 'lambda_text',
    recognisedBy: '`I, [<time> #<pid>]  INFO <request id> -- <progname>: <message>`',
    fields:
      'time (zone-less: UTC) → `@timestamp`; level → `log.level`; request id → `faas.execution`; progname → `log.logger`',
  },
  {
    title: 'Lambda platform error lines',
    format: 'lambda_text',
    recognisedBy:
      '`RequestId: <id> Error: …` (`Runtime exited with error`, `Task timed out`), `<time> <id> Task timed out after …`',
    fields:
      'level `error`; request id → `faas.execution`; the text after `Error:` → `error.message`; a closing `Runtime.ExitError`-style line → `error.type`',
  },
  {
    title: 'Plain text with a leading date-time and level',
    format: 'text',
    recognisedBy:
      "`2026-12-05 15:20:01 ERROR …`, `2026-12-05T15:20:01Z WARN …`, `… 15:20:01,123 [INFO] …`, optionally a request id (UUID) between them (Java runtime log4j2 appender); Python logging's documented `<asctime> - <name> - <LEVEL> - …`",
    fields:
      "date-time (zone-less: UTC) → `@timestamp`; level → `log.level`; UUID → `faas.execution`; Python's logger name → `log.logger`; the rest → `message` (a stack trace in it → `error.*`)",
  },
  {
    title: "Go's standard log package",
    format: 'text',
    recognisedBy: '`2009/11/10 23:00:00 …`',
    fields: 'date-time (UTC) → `@timestamp`; the rest → `message`',
  },
  {
    title: 'syslog (RFC 5424, RFC 3164 with or without a PRI)',
    format: 'text',
    recognisedBy:
      '`<PRI>1 <time> <host> <app> <procid> <msgid> …`, `<PRI>Mmm dd hh:mm:ss <host> …`, `Mmm dd hh:mm:ss <host> …`',
    fields:
      'PRI severity → `log.level`; RFC 5424 time → `@timestamp`; RFC 3164 time (no year, read as UTC) → `@timestamp` with the year that puts it closest to the CloudWatch timestamp and not more than a day after it (as rsyslog and Vector do), the text also in `attributes.syslog.timestamp`; host, app, procid, msgid → `attributes`',
  },
];
