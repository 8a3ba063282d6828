import type { LogEvent } from '../transform/schema.js';

/**
 * How far from an event its surrounding events are looked for (either side), ms. A log stream's
 * neighbours are seconds to minutes apart; the bound keeps the SQLite store's scan (the stream is
 * a `json_extract` per row, not an indexed column) to an hour of events on each side.
 */
export const CONTEXT_WINDOW_MS = 3_600_000;

/**
 * The fields whose values an event's surrounding events share: its log group and log stream when
 * it came from CloudWatch Logs (a stream name alone repeats across groups), else its service. Pure.
 */
export function contextScope(e: LogEvent): Record<string, string> {
  const cw = e.aws?.cloudwatch;
  if (typeof cw?.log_stream === 'string' && cw.log_stream !== '') {
    const scope: Record<string, string> = { 'aws.cloudwatch.log_stream': cw.log_stream };
    if (typeof cw.log_group === 'string' && cw.log_group !== '')
      return { 'aws.cloudwatch.log_group': cw.log_group, ...scope };
    return scope;
  }
  return { 'service.name': e.service.name };
}
