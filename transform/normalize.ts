import type { CwlEnvelope, CwlLogEvent } from '../ingest/envelope.js';
import { TransformConfigError } from './errors.js';
import { FAMILY_MARKERS } from './families/index.js';
import { isOtlpBatchLine, splitOtlpBatch } from './otlp-batch.js';
import { parseLine } from './parse-line.js';
import type { FieldSpec, ParsedLine, ParserSettings } from './parsed.js';
import { compileRoles } from './roles.js';
import type { LogEvent } from './schema.js';
import { isoFromMs, yearlessMs } from './time.js';

/** Options of {@link compileNormalizer}. */
export interface NormalizeOptions {
  /**
   * Field names holding the transaction / correlation id, first match wins. A dotted name is
   * tried as a key, then as a nested path (`transaction.id`). Default {@link DEFAULT_TRANSACTION_ID_FIELDS}.
   */
  readonly transactionIdFields?: readonly string[];
  /** Field names holding an X-Ray or W3C trace id / header. Default {@link DEFAULT_TRACE_ID_FIELDS}. */
  readonly traceIdFields?: readonly string[];
  /** Clock for `event.ingested` (tests pass a fixed one). */
  readonly now?: () => Date;
  /** AWS region of the events when the envelope does not say (`cloud.region`). */
  readonly region?: string;
  /** JSON nested deeper than this is kept as plain text. Default 256. */
  readonly maxDepth?: number;
}

/** Default {@link NormalizeOptions.transactionIdFields}. */
export const DEFAULT_TRANSACTION_ID_FIELDS: readonly string[] = [
  'transactionId',
  'transaction_id',
  'txId',
  'correlationId',
  'correlation_id',
  'x-correlation-id',
  'transaction.id',
];

/** Default {@link NormalizeOptions.traceIdFields}. */
export const DEFAULT_TRACE_ID_FIELDS: readonly string[] = [
  'xray_trace_id',
  'xRayTraceId',
  'traceId',
  'trace_id',
  'traceparent',
  'x-amzn-trace-id',
  '_X_AMZN_TRACE_ID',
  'trace.id',
];

/** Where a log event came from. */
export interface EventContext {
  readonly logGroup: string;
  readonly logStream: string;
  /** AWS account id (the envelope's `owner`). */
  readonly owner?: string;
  readonly region?: string;
}

/** The compiled normaliser: pure, never throws on event content. */
export interface Normalizer {
  /**
   * The LogEvents of `env.logEvents`, in order: one per log event, except an OTLP/JSON
   * `resourceLogs` line, which gives one per log record (see `otlp-batch.ts`).
   */
  envelope(env: CwlEnvelope): LogEvent[];
  /** One CloudWatch log event → one LogEvent. Any message gives an event. */
  event(ev: CwlLogEvent, ctx: EventContext): LogEvent;
  /**
   * A raw line without a CloudWatch envelope; `id` becomes `event.id`, `timestamp` (epoch ms) the
   * fallback time. One event per line, for tools that look at one line (an OTLP batch line gives
   * its first record); ingestion uses {@link lines}.
   */
  line(line: string, ctx: EventContext & { id: string; timestamp?: number }): LogEvent;
  /** As {@link line}, with every event of the line: an OTLP `resourceLogs` line gives one per record. */
  lines(line: string, ctx: EventContext & { id: string; timestamp?: number }): LogEvent[];
}

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

function compileFields(
  names: readonly string[],
  option: string,
  problems: { path: string; message: string }[],
): FieldSpec[] {
  return names.flatMap((name, i) => {
    const parts = typeof name === 'string' ? name.split('.') : [];
    if (typeof name !== 'string' || name === '' || parts.some((p) => p === '' || RESERVED.has(p))) {
      problems.push({
        path: `${option}[${i}]`,
        message: 'expected a non-empty field name without empty segments or __proto__/constructor/prototype',
      });
      return [];
    }
    return [parts.length > 1 ? { key: name, path: parts } : { key: name }];
  });
}

/** `/aws/lambda/<fn>` → `<fn>`, else `undefined`. */
export function functionFromLogGroup(logGroup: string): string | undefined {
  return logGroup.startsWith('/aws/lambda/') && logGroup.length > 12 ? logGroup.slice(12) : undefined;
}

/** The service a log group stands for: the Lambda function, else the group's last path segment, else `unknown`. */
export function serviceFromLogGroup(logGroup: string): string {
  const fn = functionFromLogGroup(logGroup);
  if (fn !== undefined) return fn;
  const parts = logGroup.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? 'unknown';
}

/**
 * Compiles the normaliser once (field lists, settings); the returned functions do no parsing of
 * options per event. Throws {@link TransformConfigError} listing every bad option.
 */
export function compileNormalizer(opts: NormalizeOptions = {}): Normalizer {
  const problems: { path: string; message: string }[] = [];
  const maxDepth = opts.maxDepth ?? 256;
  if (!Number.isInteger(maxDepth) || maxDepth < 2 || maxDepth > 2000) {
    problems.push({ path: 'maxDepth', message: 'expected an integer from 2 to 2000' });
  }
  const transactionFields = compileFields(
    opts.transactionIdFields ?? DEFAULT_TRANSACTION_ID_FIELDS,
    'transactionIdFields',
    problems,
  );
  const traceFields = compileFields(opts.traceIdFields ?? DEFAULT_TRACE_ID_FIELDS, 'traceIdFields', problems);
  const settings: ParserSettings = {
    transactionFields,
    traceFields,
    maxDepth,
    roles: compileRoles(transactionFields, traceFields, FAMILY_MARKERS),
  };
  if (problems.length > 0) throw new TransformConfigError(problems);
  const now = opts.now ?? (() => new Date());
  const defaultRegion = opts.region;

  const origin = (ctx: EventContext): Origin => {
    const fn = functionFromLogGroup(ctx.logGroup);
    const region = ctx.region ?? defaultRegion;
    const owner = ctx.owner !== undefined && /^\d{12}$/.test(ctx.owner) ? ctx.owner : undefined;
    return {
      logGroup: ctx.logGroup,
      logStream: ctx.logStream,
      service: serviceFromLogGroup(ctx.logGroup),
      fn,
      owner,
      region,
    };
  };

  const one = (
    message: string,
    id: string,
    timestamp: number | undefined,
    o: Origin,
    ingested: string,
  ): LogEvent => {
    let parsed: ParsedLine;
    try {
      parsed = parseLine(message, settings);
    } catch {
      parsed = { format: 'text', message }; // defensive: the parsers are written not to throw
    }
    return build(parsed, id, timestamp, o, ingested);
  };

  /**
   * The events of one line: one, or one per log record of an OTLP `resourceLogs` line, with ids
   * `<id>:<n>` (n from 0 in the line's order: unique and the same on every delivery of the line).
   * Above the record cap the line stays one event, with the error saying why.
   */
  const many = (
    message: string,
    id: string,
    timestamp: number | undefined,
    o: Origin,
    ingested: string,
  ): LogEvent[] => {
    if (!isOtlpBatchLine(message)) return [one(message, id, timestamp, o, ingested)];
    const split = splitOtlpBatch(message, settings);
    if (split === undefined) return [one(message, id, timestamp, o, ingested)];
    if (split.kind === 'too_many') {
      const event = one(message, id, timestamp, o, ingested);
      event.error = { type: split.error.code, message: split.error.message };
      return [event];
    }
    return split.records.map((p, n) => build(p, `${id}:${n}`, timestamp, o, ingested));
  };

  const ingestedNow = (): string => isoFromMs(now().getTime()) ?? new Date(0).toISOString();

  const lines: Normalizer['lines'] = (line, ctx) => {
    const o = origin(ctx);
    if (ctx.logGroup === '') o.service = 'unknown';
    return many(String(line), ctx.id, ctx.timestamp, o, ingestedNow());
  };

  return {
    envelope(env) {
      const o = origin({ logGroup: env.logGroup, logStream: env.logStream, owner: env.owner });
      const ingested = ingestedNow();
      const out = new Array<LogEvent>(env.logEvents.length);
      let batches = false;
      for (let i = 0; i < env.logEvents.length; i++) {
        const ev = env.logEvents[i]!;
        if (isOtlpBatchLine(ev.message)) batches = true;
        else out[i] = one(ev.message, ev.id, ev.timestamp, o, ingested);
      }
      if (!batches) return out;
      // Some line is an OTLP batch: one or more events per line, in order.
      return env.logEvents.flatMap((ev, i) => out[i] ?? many(ev.message, ev.id, ev.timestamp, o, ingested));
    },
    event(ev, ctx) {
      return one(String(ev.message), String(ev.id), ev.timestamp, origin(ctx), ingestedNow());
    },
    line: (line, ctx) => lines(line, ctx)[0]!,
    lines,
  };
}

interface Origin {
  logGroup: string;
  logStream: string;
  service: string;
  fn: string | undefined;
  owner: string | undefined;
  region: string | undefined;
}

/**
 * The event's time: the line's own; else a year-less line time completed with the year of the
 * CloudWatch timestamp (or of the ingestion time); else the CloudWatch timestamp; else ingestion.
 */
function timeOf(p: ParsedLine, timestamp: number | undefined, ingested: string): string {
  if (p.time !== undefined) return p.time;
  const cwl = timestamp === undefined ? undefined : isoFromMs(timestamp);
  if (p.yearlessTime !== undefined) {
    const t = yearlessMs(p.yearlessTime, cwl === undefined ? Date.parse(ingested) : (timestamp as number));
    const iso = t === undefined ? undefined : isoFromMs(t);
    if (iso !== undefined) return iso;
  }
  return cwl ?? ingested;
}

/** Assembles the LogEvent from the parsed line and its origin (objects built directly, no zod). */
function build(
  p: ParsedLine,
  id: string,
  timestamp: number | undefined,
  o: Origin,
  ingested: string,
): LogEvent {
  const log: LogEvent['log'] = { level: p.level ?? (p.error ? 'error' : 'info'), format: p.format };
  if (p.logger !== undefined) log.logger = p.logger;
  if (p.truncated) log.truncated = true;
  const event: LogEvent = {
    '@timestamp': timeOf(p, timestamp, ingested),
    message: p.message,
    log,
    service: { name: p.service ?? o.service },
    event: { id, ingested },
    aws: { cloudwatch: { log_group: o.logGroup, log_stream: o.logStream } },
  } as LogEvent;
  if (p.transactionId !== undefined) event.transaction = { id: p.transactionId };
  if (p.traceId !== undefined) event.trace = { id: p.traceId };
  if (p.spanId !== undefined) event.span = { id: p.spanId };
  if (o.owner !== undefined || o.region !== undefined) {
    const cloud: NonNullable<LogEvent['cloud']> = {};
    if (o.owner !== undefined) cloud.account = { id: o.owner };
    if (o.region !== undefined) cloud.region = o.region;
    event.cloud = cloud;
  }
  const faasName = p.faasName ?? o.fn;
  if (p.execution !== undefined || faasName !== undefined || p.coldstart !== undefined) {
    const faas: NonNullable<LogEvent['faas']> = {};
    if (p.execution !== undefined) faas.execution = p.execution;
    if (faasName !== undefined) faas.name = faasName;
    if (p.coldstart !== undefined) faas.coldstart = p.coldstart;
    event.faas = faas;
  }
  if (p.error !== undefined) event.error = p.error;
  if (p.lambda !== undefined) event.lambda = p.lambda;
  event.attributes = p.attributes ?? {};
  return event;
}
