import { parseTraceId } from './ids.js';
import type { LambdaFields, ParsedLine, ReportFields } from './parsed.js';
import { toIsoMs } from './time.js';

type Rec = Record<string, unknown>;

const START = /^START RequestId: ([\w-]{1,64})(?:\s+Version: (\S{1,128}))?/;
const END = /^END RequestId: ([\w-]{1,64})/;
const REPORT = /^REPORT RequestId: ([\w-]{1,64})/;
const INIT = /^(INIT_START|INIT_REPORT|INIT_RUNTIME_DONE|RESTORE_START|RESTORE_REPORT)\b/;
const FIGURE = /^\s*([A-Za-z][A-Za-z ]{0,40}?):\s*(\S.{0,200}?)\s*$/;

const REPORT_FIELDS: Readonly<Record<string, keyof ReportFields>> = {
  Duration: 'duration_ms',
  'Billed Duration': 'billed_duration_ms',
  'Memory Size': 'memory_size_mb',
  'Max Memory Used': 'max_memory_used_mb',
  'Init Duration': 'init_duration_ms',
};

// The labels Lambda writes in REPORT / INIT_* lines, longest first (`Billed Duration` before
// `Duration`), for lines whose separators are spaces (a copy from the console, a docs page, some
// log shippers).
const SPACED_FIGURE =
  /(?:^|\s)(Billed Restore Duration|Restore Duration|Billed Duration|Max Memory Used|Memory Size|Init Duration|Duration|XRAY TraceId|SegmentId|Sampled|Status|Error Type|Runtime Version ARN|Runtime Version|Phase): (\S{1,256}(?: (?:ms|MB))?)/g;

/** Splits `Label: value\tLabel: value\n…` into pairs (REPORT / INIT_* lines). */
function figures(text: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!text.includes('\t')) {
    for (const m of text.matchAll(SPACED_FIGURE)) out.set(m[1]!, m[2]!);
    return out;
  }
  for (const part of text.split(/[\t\n\r]/)) {
    const m = FIGURE.exec(part);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

const num = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number.parseFloat(v);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * Parses a Lambda platform text line (`START`, `END`, `REPORT` with its figures as numbers,
 * `INIT_START`/`INIT_REPORT`…), or returns `undefined` when the line is not one.
 */
export function parsePlatformText(line: string): ParsedLine | undefined {
  const c = line.charCodeAt(0);
  if (c !== 83 /* S */ && c !== 69 /* E */ && c !== 82 /* R */ && c !== 73 /* I */) return undefined;
  let m = START.exec(line);
  if (m) {
    const lambda: LambdaFields = { platform: 'start' };
    if (m[2] !== undefined) lambda.version = m[2];
    return { format: 'lambda_platform', message: line, level: 'info', execution: m[1]!, lambda };
  }
  m = END.exec(line);
  if (m)
    return {
      format: 'lambda_platform',
      message: line,
      level: 'info',
      execution: m[1]!,
      lambda: { platform: 'end' },
    };
  m = REPORT.exec(line);
  if (m) {
    const f = figures(line.slice(m[0].length));
    const report: ReportFields = {};
    for (const [label, key] of Object.entries(REPORT_FIELDS)) {
      const n = num(f.get(label));
      if (n !== undefined) report[key] = n;
    }
    const out: ParsedLine = {
      format: 'lambda_platform',
      message: line,
      level: statusLevel(f.get('Status')),
      execution: m[1]!,
      lambda: { platform: 'report', report },
    };
    if (report.init_duration_ms !== undefined) out.coldstart = true;
    const trace = parseTraceId(f.get('XRAY TraceId'));
    if (trace !== undefined) out.traceId = trace;
    const status = f.get('Status');
    if (status !== undefined) out.attributes = { status };
    return out;
  }
  m = INIT.exec(line);
  if (m) {
    const platform = m[1]!.toLowerCase();
    const f = figures(line.slice(m[0].length));
    const out: ParsedLine = {
      format: 'lambda_platform',
      message: line,
      level: statusLevel(f.get('Status')),
      lambda: { platform },
    };
    const init = num(f.get('Init Duration'));
    if (init !== undefined) out.lambda!.report = { init_duration_ms: init };
    const attributes: Rec = {};
    for (const [k, v] of f) if (k !== 'Init Duration') attributes[k.toLowerCase().replaceAll(' ', '_')] = v;
    if (Object.keys(attributes).length > 0) out.attributes = attributes;
    return out;
  }
  return undefined;
}

function statusLevel(status: string | undefined): 'info' | 'error' {
  return status === undefined || status === 'success' ? 'info' : 'error';
}

const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const finite = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** True for a Lambda JSON-format platform record: `{"time","type":"platform.*","record":{…}}`. */
export function isPlatformRecord(o: Rec): boolean {
  const t = o['type'];
  return typeof t === 'string' && t.startsWith('platform.') && 'record' in o;
}

/**
 * Parses a JSON-format platform record (`platform.start`, `platform.report` with `metrics`,
 * `platform.initStart`…). `lambda.platform` is the type suffix in snake_case; REPORT metrics
 * become `lambda.report` numbers; the record's other keys go to attributes, and so do keys
 * beside `time`/`type`/`record` (see {@link keepEnvelopeKeys}).
 */
export function parsePlatformRecord(o: Rec): ParsedLine {
  const out = parsePlatformBody(o);
  keepEnvelopeKeys(o, out);
  return out;
}

/** Sets `attributes[k]` as an own data property (`__proto__` stays data). */
function setAttr(attributes: Rec, k: string, v: unknown): void {
  Object.defineProperty(attributes, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/**
 * Keeps the keys of a platform record beside `time`, `type` and `record` (a record written by a
 * newer runtime, or a wrapper's own keys) in `attributes`, so no content disappears. A key the
 * record's own attributes already use is kept as `platform_<key>`.
 */
function keepEnvelopeKeys(o: Rec, out: ParsedLine): void {
  for (const k of Object.keys(o)) {
    if (k === 'time' || k === 'type' || k === 'record') continue;
    out.attributes ??= {};
    const attributes = out.attributes;
    setAttr(attributes, Object.hasOwn(attributes, k) ? `platform_${k}` : k, o[k]);
  }
}

function parsePlatformBody(o: Rec): ParsedLine {
  const type = (o['type'] as string).slice('platform.'.length);
  if (!isRec(o['record'])) return platformTextRecord(o, type);
  const record = o['record'];
  const lambda: LambdaFields = { platform: snake(type) };
  const out: ParsedLine = { format: 'lambda_platform', message: '', level: 'info', lambda };
  const time = toIsoMs(o['time']);
  if (time !== undefined) out.time = time;
  const requestId = record['requestId'];
  if (typeof requestId === 'string') out.execution = requestId;
  if (typeof record['version'] === 'string') lambda.version = record['version'];
  const metrics = isRec(record['metrics']) ? record['metrics'] : undefined;
  if (metrics && (type === 'report' || type === 'initReport' || type === 'restoreReport')) {
    const report: ReportFields = {};
    const pairs: [string, keyof ReportFields][] =
      type === 'report'
        ? [
            ['durationMs', 'duration_ms'],
            ['billedDurationMs', 'billed_duration_ms'],
            ['memorySizeMB', 'memory_size_mb'],
            ['maxMemoryUsedMB', 'max_memory_used_mb'],
            ['initDurationMs', 'init_duration_ms'],
          ]
        : [['durationMs', 'init_duration_ms']];
    for (const [from, to] of pairs) {
      const n = finite(metrics[from]);
      if (n !== undefined) report[to] = n;
    }
    lambda.report = report;
    if (type === 'report' && report.init_duration_ms !== undefined) out.coldstart = true;
  }
  const tracing = isRec(record['tracing']) ? record['tracing'] : undefined;
  const trace = parseTraceId(tracing?.['value']);
  if (trace !== undefined) out.traceId = trace;
  const status = record['status'];
  if (typeof status === 'string' && status !== 'success') out.level = 'error';
  const attributes: Rec = {};
  let any = false;
  for (const k of Object.keys(record)) {
    if (
      k === 'requestId' ||
      k === 'version' ||
      (k === 'metrics' && lambda.report) ||
      (k === 'tracing' && trace)
    )
      continue;
    setAttr(attributes, k, record[k]);
    any = true;
  }
  if (any) out.attributes = attributes;
  out.message = platformMessage(type, out);
  return out;
}

const REQUEST_ID = /RequestId: ([\w-]{1,64})/;

/**
 * A platform record whose `record` is not an object: `platform.fault` writes a text
 * (`RequestId: … Process exited before completing request`), which becomes the message (and
 * the error message, for a fault); any other value is kept in `attributes.record`.
 */
function platformTextRecord(o: Rec, type: string): ParsedLine {
  const record = o['record'];
  const fault = type === 'fault';
  const out: ParsedLine = {
    format: 'lambda_platform',
    message: typeof record === 'string' ? record : `platform.${type}`,
    level: fault ? 'error' : 'info',
    lambda: { platform: snake(type) },
  };
  const time = toIsoMs(o['time']);
  if (time !== undefined) out.time = time;
  if (typeof record === 'string') {
    const id = REQUEST_ID.exec(record.length > 4096 ? record.slice(0, 4096) : record);
    if (id) out.execution = id[1]!;
    if (fault) out.error = { message: record };
  } else if (record !== undefined) {
    out.attributes = { record };
  }
  return out;
}

/** The text-format line equivalent of a JSON platform record, as its message. */
function platformMessage(type: string, p: ParsedLine): string {
  const id = p.execution ?? '';
  if (type === 'start')
    return `START RequestId: ${id}${p.lambda?.version ? ` Version: ${p.lambda.version}` : ''}`;
  if (type === 'runtimeDone' || type === 'end') return `END RequestId: ${id}`;
  const r = p.lambda?.report;
  if (type === 'report' && r) {
    const parts = [`REPORT RequestId: ${id}`];
    if (r.duration_ms !== undefined) parts.push(`Duration: ${r.duration_ms} ms`);
    if (r.billed_duration_ms !== undefined) parts.push(`Billed Duration: ${r.billed_duration_ms} ms`);
    if (r.memory_size_mb !== undefined) parts.push(`Memory Size: ${r.memory_size_mb} MB`);
    if (r.max_memory_used_mb !== undefined) parts.push(`Max Memory Used: ${r.max_memory_used_mb} MB`);
    if (r.init_duration_ms !== undefined) parts.push(`Init Duration: ${r.init_duration_ms} ms`);
    return parts.join('\t');
  }
  return `platform.${type}${id ? ` RequestId: ${id}` : ''}`;
}
