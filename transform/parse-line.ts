import { errorFromStack, stackStart } from './error-fields.js';
import { matchTextPrefix, parseRequestError, type TextPrefix } from './families/text.js';
import { parseTraceId } from './ids.js';
import { parseJsonObject } from './json-safe.js';
import { normalizeLevel } from './levels.js';
import { isPlatformRecord, parsePlatformRecord, parsePlatformText } from './parse-platform.js';
import { detectFormat, parseRecord } from './parse-record.js';
import type { ParsedLine, ParserSettings } from './parsed.js';
import type { LogFormat, LogLevel } from './schema.js';
import { toIsoMs } from './time.js';

type Rec = Record<string, unknown>;

const LAMBDA_TEXT = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z)\t([^\t\n]{1,64})\t([A-Za-z]{3,8})\t/;
const TIMED_OUT =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z) ([\w-]{8,64}) (Task timed out after [\d.]+ seconds)\s*$/;
// `Type: message` before a Python traceback (the Lambda runtime writes the error first).
const PY_HEAD = /^([A-Za-z_][\w.]{0,200})(?:: ([^\n\r]*))?$/;
const EMBEDDED_JSON = /^([A-Za-z][A-Za-z ]{0,60}?) ?\t(\{[\s\S]*)$/;
const TEXT_LEVEL = /^\s{0,8}\[?(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL)\]?(?=[\s:\]|-])/i;
const LAMBDA_JSON_KEYS = new Set([
  'timestamp',
  'level',
  'requestId',
  'message',
  'errorType',
  'errorMessage',
  'stackTrace',
  'type',
  // The Python runtime's JSON format (awslambdaric JsonFormatter) and its error records.
  'logger',
  'location',
  'log_level',
  'tenantId',
]);
const SALVAGE_LEVEL = /"(?:level|severity)"\s*:\s*(?:"([A-Za-z]{1,16})"|(\d{1,3}))/;
const SALVAGE_TIME = /"(?:time|timestamp|@timestamp)"\s*:\s*(?:"([^"\\]{8,64})"|(\d{9,16}))/;
const SALVAGE_REQUEST = /"(?:requestId|function_request_id|awsRequestId)"\s*:\s*"([\w-]{1,64})"/;

/** Removes trailing line breaks (CloudWatch messages of console output end with `\n`). */
function trimEnd(line: string): string {
  let end = line.length;
  while (end > 0) {
    const c = line.charCodeAt(end - 1);
    if (c !== 10 && c !== 13) break;
    end--;
  }
  return end === line.length ? line : line.slice(0, end);
}

function firstNonSpace(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return -1;
}

/**
 * Parses one log line of any supported shape (see `LOG_FORMATS`), auto-detected. Never throws:
 * whatever the text, it gives a {@link ParsedLine} (plain text at worst).
 */
export function parseLine(raw: string, s: ParserSettings): ParsedLine {
  const line = trimEnd(raw);
  const first = firstNonSpace(line);
  if (first === 123 /* { */) return parseJsonText(line, s, true);
  if (first >= 48 && first <= 57) {
    const lt = LAMBDA_TEXT.exec(line);
    if (lt) return parseLambdaText(line, lt, s);
    const to = TIMED_OUT.exec(line);
    if (to) {
      return {
        format: 'lambda_text',
        message: to[3]!,
        level: 'error',
        time: toIsoMs(to[1]),
        execution: to[2]!,
        error: { message: to[3]! },
      };
    }
  } else if (first === 82 /* R */ && line.startsWith('RequestId: ')) {
    const failed = parseRequestError(line);
    if (failed) return failed;
  } else {
    const platform = parsePlatformText(line);
    if (platform) return platform;
  }
  const prefix = matchTextPrefix(line, first);
  if (prefix) return parsePrefixed(prefix, s);
  return parseText(line);
}

/** A line of a text family: its prefix's fields fill what the rest of the line does not say. */
function parsePrefixed(p: TextPrefix, s: ParserSettings): ParsedLine {
  const inner = firstNonSpace(p.rest) === 123 ? parseJsonText(p.rest, s, true) : parseText(p.rest);
  const out = wrap(inner, p.format, p.time, p.level, p.execution);
  if (p.logger !== undefined) out.logger ??= p.logger;
  if (p.yearlessTime !== undefined && out.time === undefined) out.yearlessTime = p.yearlessTime;
  if (p.attributes !== undefined) out.attributes = { ...p.attributes, ...out.attributes };
  return out;
}

/**
 * Plain text: a leading level word sets the level; a V8 stack trace fills `error.*` (the whole
 * text in `error.stack_trace`, the part before the first frame in `message`).
 */
function parseText(line: string): ParsedLine {
  const out: ParsedLine = { format: 'text', message: line };
  const lv = TEXT_LEVEL.exec(line);
  if (lv) out.level = normalizeLevel(lv[1]);
  const frames = stackStart(line);
  if (frames !== -1) {
    // The stack goes to error.stack_trace; the message keeps the text before the first frame.
    // A Python traceback names its error on its last line; a V8/Java/.NET one on its first.
    const python = line.charCodeAt(frames) === 84; /* T(raceback) */
    out.error = errorFromStack(python ? line.slice(frames) : line);
    if (python) {
      const head = trimEnd(line.slice(0, frames));
      const named = PY_HEAD.exec(head);
      // The runtime's own `Type: message` line is exact; the traceback's last line may be a frame.
      if (named) {
        out.error.type = named[1]!;
        if (named[2] !== undefined) out.error.message = named[2];
      }
      out.message = head;
    } else {
      out.message = trimEnd(line.slice(0, frames));
    }
    out.level ??= 'error';
  }
  return out;
}

/** A text that starts with `{`: a JSON record, a cut-off one, or text. */
function parseJsonText(text: string, s: ParserSettings, allowLambdaJson: boolean): ParsedLine {
  const r = parseJsonObject(text, s.maxDepth);
  if (r.kind === 'object') return parseObject(r.value, text, s, allowLambdaJson);
  if (r.kind === 'invalid' && !text.trimEnd().endsWith('}')) return salvageTruncated(text);
  return parseText(text);
}

/** Dispatches a parsed JSON object: platform record, Lambda JSON format, or a logger's record. */
function parseObject(o: Rec, source: string, s: ParserSettings, allowLambdaJson: boolean): ParsedLine {
  if (isPlatformRecord(o)) return parsePlatformRecord(o);
  if (allowLambdaJson && isLambdaJson(o)) return parseLambdaJson(o, source, s);
  return parseRecord(o, source, s, detectFormat(o), true);
}

function isLambdaJson(o: Rec): boolean {
  if (
    typeof o['requestId'] !== 'string' ||
    (typeof o['level'] !== 'string' && typeof o['log_level'] !== 'string') ||
    o['timestamp'] === undefined
  )
    return false;
  if (!('message' in o) && !('errorMessage' in o)) return false;
  const keys = Object.keys(o);
  // The .NET runtime's JSON format (Amazon.Lambda.RuntimeSupport's JsonLogMessageFormatter) writes
  // timestamp, level and requestId first, then traceId and the named properties of the message
  // template, which can be any keys: that order is its mark.
  if (keys[0] === 'timestamp' && keys[1] === 'level' && keys[2] === 'requestId') return true;
  for (const k of keys) if (!LAMBDA_JSON_KEYS.has(k)) return false;
  return true;
}

/**
 * Lambda JSON log format: `{"timestamp","level","requestId","message"}`; `message` may be a
 * string, an object, or another logger's JSON line (double-wrapped), which is unwrapped.
 */
function parseLambdaJson(o: Rec, source: string, s: ParserSettings): ParsedLine {
  const message = o['message'];
  let inner: ParsedLine | undefined;
  if (message !== null && typeof message === 'object' && !Array.isArray(message)) {
    inner = parseObject(message as Rec, source, s, false);
  } else if (typeof message === 'string' && firstNonSpace(message) === 123) {
    inner = parseJsonText(message, s, false);
  }
  if (inner === undefined) {
    // The record itself, read as a plain JSON record (message, level, time, request id, error).
    const own = parseRecord(o, source, s, 'lambda_json');
    const frames = own.error === undefined ? stackStart(own.message) : -1;
    if (frames !== -1) {
      own.error = errorFromStack(own.message);
      own.message = own.message.slice(0, frames);
    }
    if (typeof o['requestId'] === 'string') {
      if (o['requestId'] !== '') own.execution = o['requestId'];
      if (own.attributes) delete own.attributes['requestId'];
    }
    // .NET: the X-Ray trace header of the invocation (`Root=1-…;Parent=…;Sampled=…`).
    const traceId = own.traceId === undefined ? parseTraceId(o['traceId']) : undefined;
    if (traceId !== undefined) {
      own.traceId = traceId;
      if (own.attributes) delete own.attributes['traceId'];
    }
    if (own.attributes && !hasOwnKey(own.attributes)) delete own.attributes;
    return own;
  }
  return wrap(
    inner,
    'lambda_json',
    toIsoMs(o['timestamp']),
    normalizeLevel(o['level'] ?? o['log_level']),
    o['requestId'] as string,
  );
}

/** True when `o` has an own enumerable key (as `Object.keys(o).length > 0`, without the array). */
function hasOwnKey(o: Rec): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

/** Lambda text format: `<ISO time>\t<request id>\t<LEVEL>\t<message>`; the message may be JSON. */
function parseLambdaText(line: string, m: RegExpExecArray, s: ParserSettings): ParsedLine {
  const rest = line.slice(m[0].length);
  const requestId = m[2] === 'undefined' ? undefined : m[2];
  const level = normalizeLevel(m[3]);
  const time = toIsoMs(m[1]);
  let inner: ParsedLine;
  if (firstNonSpace(rest) === 123) {
    inner = parseJsonText(rest, s, true);
  } else {
    const embedded = EMBEDDED_JSON.exec(rest);
    const parsed = embedded ? parseJsonText(embedded[2]!, s, false) : undefined;
    if (embedded && parsed && parsed.format !== 'text' && !parsed.truncated) {
      // "Invoke Error \t{errorType, errorMessage, stack}" and similar runtime lines.
      parsed.message = embedded[1]!;
      inner = parsed;
    } else {
      inner = parseText(rest);
    }
  }
  return wrap(inner, 'lambda_text', time, level, requestId);
}

/** Combines a wrapper (Lambda text/JSON format) with the line it carries; the inner line wins. */
function wrap(
  inner: ParsedLine,
  format: LogFormat,
  time: string | undefined,
  level: LogLevel | undefined,
  requestId: string | undefined,
): ParsedLine {
  const wasText = inner.format === 'text';
  // A logger's own format is kept; only plain JSON and text take the wrapper's.
  if (inner.format === 'json' || inner.format === 'text' || inner.format === 'lambda_json') {
    inner.format = format;
  }
  if (inner.time === undefined && time !== undefined) inner.time = time;
  // A logger's own level wins; for plain text the console method (the wrapper's level) is exact.
  if (level !== undefined && (wasText || inner.level === undefined)) inner.level = level;
  if (inner.execution === undefined && requestId !== undefined) inner.execution = requestId;
  return inner;
}

/**
 * JSON that was cut off: the whole text stays the message, `log.truncated` is set, and level,
 * time and request id are read from its beginning when they are there.
 */
function salvageTruncated(text: string): ParsedLine {
  const out: ParsedLine = { format: 'json', message: text, truncated: true };
  const head = text.length > 4096 ? text.slice(0, 4096) : text;
  const lv = SALVAGE_LEVEL.exec(head);
  if (lv) out.level = normalizeLevel(lv[1] ?? Number(lv[2]));
  const tm = SALVAGE_TIME.exec(head);
  if (tm) out.time = toIsoMs(tm[1] ?? Number(tm[2]));
  const rq = SALVAGE_REQUEST.exec(head);
  if (rq) out.execution = rq[1]!;
  if (out.time === undefined) delete out.time;
  if (out.level === undefined) delete out.level;
  return out;
}
