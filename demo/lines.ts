/**
 * Renderers of log lines in the shapes real loggers write (pure): pino JSON, AWS Lambda Powertools
 * JSON, the Node.js Lambda runtime's text format, and Lambda platform START/END/REPORT lines.
 */

/** pino's numeric levels. */
const PINO_LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;
/** A level the demo writes. */
export type DemoLevel = keyof typeof PINO_LEVELS;

/** An error as a logger serialises it. */
export interface DemoError {
  readonly type: string;
  readonly message: string;
  readonly stack: string;
}

/** A pino line (`{"level":30,"time":…,"pid":…,"hostname":…,"name":…,"msg":…}`). */
export function pinoLine(o: {
  at: number;
  level: DemoLevel;
  service: string;
  msg: string;
  fields?: Record<string, unknown>;
  err?: DemoError;
}): string {
  return JSON.stringify({
    level: PINO_LEVELS[o.level],
    time: o.at,
    pid: 8,
    hostname: '169.254.12.9',
    name: o.service,
    ...o.fields,
    ...(o.err ? { err: { type: o.err.type, message: o.err.message, stack: o.err.stack } } : {}),
    msg: o.msg,
  });
}

/** A Powertools for AWS Lambda (TypeScript) logger line. */
export function powertoolsLine(o: {
  at: number;
  level: DemoLevel;
  service: string;
  msg: string;
  requestId: string;
  coldStart: boolean;
  xrayTraceId: string;
  fields?: Record<string, unknown>;
  err?: DemoError;
}): string {
  return JSON.stringify({
    level: o.level.toUpperCase(),
    message: o.msg,
    timestamp: new Date(o.at).toISOString(),
    service: o.service,
    cold_start: o.coldStart,
    function_arn: `arn:aws:lambda:eu-west-1:123456789012:function:${o.service}`,
    function_memory_size: '512',
    function_name: o.service,
    function_request_id: o.requestId,
    sampling_rate: 0,
    xray_trace_id: o.xrayTraceId,
    ...o.fields,
    ...(o.err
      ? {
          error: {
            name: o.err.type,
            location: 'file:///var/task/index.mjs:42',
            message: o.err.message,
            stack: o.err.stack,
          },
        }
      : {}),
  });
}

/** A line of the Node.js Lambda runtime's text format: `time\trequestId\tLEVEL\tmessage`. */
export function lambdaTextLine(o: { at: number; level: DemoLevel; requestId: string; text: string }): string {
  return `${new Date(o.at).toISOString()}\t${o.requestId}\t${o.level.toUpperCase()}\t${o.text}`;
}

/** The Lambda platform lines of one invocation. */
export function platformLines(o: {
  requestId: string;
  durationMs: number;
  memoryMb: number;
  maxMemoryMb: number;
  initMs?: number;
}): { start: string; end: string; report: string } {
  const billed = Math.ceil(o.durationMs);
  const init = o.initMs !== undefined ? `\tInit Duration: ${o.initMs.toFixed(2)} ms` : '';
  return {
    start: `START RequestId: ${o.requestId} Version: $LATEST`,
    end: `END RequestId: ${o.requestId}`,
    report:
      `REPORT RequestId: ${o.requestId}\tDuration: ${o.durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\t` +
      `Memory Size: ${o.memoryMb} MB\tMax Memory Used: ${o.maxMemoryMb} MB${init}\t`,
  };
}
