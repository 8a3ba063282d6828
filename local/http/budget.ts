import {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  type DecodeOptions,
  type DecodeResult,
} from '../../ingest/decode.js';
import type { CwlEnvelope } from '../../ingest/envelope.js';
import { INGEST_ERROR_CODES } from '../../ingest/errors.js';
import { HTTP_ERROR_CODES as C, HttpError } from './errors.js';

/** The hard budgets of one ingest request (`http.limits` in the config; docs/start.md "Security"). */
export interface IngestLimits {
  /** Bytes of the body as sent (before any decompression). */
  readonly maxBodyBytes: number;
  /** Bytes after every decompression, summed over the request: the body's gzip and every payload nested in it. */
  readonly maxDecodedBytes: number;
  /** Events in one request (raw lines plus the log events of every payload). */
  readonly maxEventsPerRequest: number;
  /** Bytes of one event (a raw line or a CloudWatch log event's message); longer ones are truncated. */
  readonly maxEventBytes: number;
  /** Fields of one JSON event (leaves, counted through nested objects); more are cut, with a marker. */
  readonly maxEventFields: number;
}

/** What the request has spent of its {@link IngestLimits}. */
export class RequestBudget {
  decoded = 0;
  events = 0;
  truncated = 0;
  #handedOut = 0;

  constructor(readonly limits: IngestLimits) {}

  /** Decompressed bytes still allowed. */
  get remaining(): number {
    return this.limits.maxDecodedBytes - this.decoded;
  }

  /** Counts decoded bytes; past the budget the whole request is refused (413). */
  spendDecoded(bytes: number): void {
    this.decoded += bytes;
    if (this.decoded > this.limits.maxDecodedBytes) throw this.#tooLarge();
  }

  /** Counts events; past the budget the whole request is refused (413). */
  spendEvents(n: number): void {
    this.events += n;
    if (this.events > this.limits.maxEventsPerRequest) {
      throw new HttpError(
        413,
        C.tooLarge,
        `the request holds more than ${this.limits.maxEventsPerRequest} events (http.limits.max_events_per_request): send smaller batches`,
      );
    }
  }

  /**
   * Decoder options that give each nested payload at most what is left of the request's budget
   * (and never more than the per-payload bound), and count what it inflated to.
   */
  decodeOptions(): DecodeOptions {
    const self = this;
    return {
      get maxDecompressedBytes() {
        self.#handedOut = Math.max(1, Math.min(DEFAULT_MAX_DECOMPRESSED_BYTES, self.remaining));
        return self.#handedOut;
      },
      onDecoded: (n) => {
        self.decoded += n;
      },
    };
  }

  /**
   * Throws 413 when the request is past its decoded budget, or when `result` failed only because
   * the budget ran out (a payload too large on its own is that payload's dead letter instead).
   */
  check(result?: DecodeResult): void {
    if (result?.kind === 'error' && result.error.code === INGEST_ERROR_CODES.tooLarge) {
      // It was inflated up to what it was handed before it was refused: that work counts too
      // (else many payloads just past the bound would each cost a full inflation for free).
      if (this.remaining < DEFAULT_MAX_DECOMPRESSED_BYTES) throw this.#tooLarge();
      this.decoded += this.#handedOut;
    }
    if (this.decoded > this.limits.maxDecodedBytes) throw this.#tooLarge();
  }

  #tooLarge(): HttpError {
    return new HttpError(
      413,
      C.tooLarge,
      `the request inflates past ${this.limits.maxDecodedBytes} bytes (http.limits.max_decoded_bytes, counting the body and every payload nested in it): send smaller batches`,
    );
  }
}

const TRUNCATED_KEY = '_sluice_truncated';

/** Cuts `text` to at most `max` UTF-8 bytes without splitting a character. */
function cutUtf8(text: string, max: number): string {
  const cut = Buffer.from(text, 'utf8').subarray(0, max).toString('utf8');
  return cut.endsWith('\uFFFD') ? cut.slice(0, -1) : cut;
}

/** An upper bound of the keys of a JSON text (every `":` counts), without parsing it. */
function keyBound(text: string, stopAt: number): number {
  let n = 0;
  for (let i = text.indexOf('":'); i !== -1 && n <= stopAt; i = text.indexOf('":', i + 2)) n += 1;
  return n;
}

/** Copies `value` keeping its first `room.left` leaves (depth first); counts every leaf in `room.seen`. */
function keepLeaves(value: unknown, room: { left: number; seen: number }): unknown {
  if (value === null || typeof value !== 'object') {
    room.seen += 1;
    room.left -= 1;
    return value;
  }
  const out: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  for (const [k, v] of Object.entries(value)) {
    if (room.left <= 0) {
      room.seen += countLeaves(v);
      continue;
    }
    (out as Record<string, unknown>)[k] = keepLeaves(v, room);
  }
  return out;
}

function countLeaves(value: unknown): number {
  if (value === null || typeof value !== 'object') return 1;
  let n = 0;
  for (const v of Object.values(value)) n += countLeaves(v);
  return n;
}

/**
 * Applies the per-event budgets to one event's text: past `maxEventBytes` it is cut and a marker
 * says how long it was (a cut JSON line is then kept as text, `log.truncated`); a JSON object with
 * more than `maxEventFields` leaves keeps the first ones and a `_sluice_truncated` field says how
 * many it had. The event is always kept; `truncated` tells the caller to count it.
 */
export function capEvent(text: string, limits: IngestLimits): { text: string; truncated: boolean } {
  if (text.length > limits.maxEventBytes / 4 && Buffer.byteLength(text) > limits.maxEventBytes) {
    const bytes = Buffer.byteLength(text);
    const marker = ` …[sluice: truncated, ${bytes} bytes]`;
    return {
      text: cutUtf8(text, Math.max(0, limits.maxEventBytes - Buffer.byteLength(marker))) + marker,
      truncated: true,
    };
  }
  if (
    text.length < limits.maxEventFields * 4 ||
    keyBound(text, limits.maxEventFields) <= limits.maxEventFields
  )
    return { text, truncated: false };
  const start = text.search(/\S/);
  if (text[start] !== '{') return { text, truncated: false };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { text, truncated: false };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { text, truncated: false };
  const room = { left: limits.maxEventFields, seen: 0 };
  const kept = keepLeaves(value, room) as Record<string, unknown>;
  if (room.seen <= limits.maxEventFields) return { text, truncated: false };
  kept[TRUNCATED_KEY] = `kept ${limits.maxEventFields} of ${room.seen} fields`;
  return { text: JSON.stringify(kept), truncated: true };
}

/** {@link capEvent} over every log event of an envelope; returns the envelope and how many were cut. */
export function capEnvelope(
  env: CwlEnvelope,
  limits: IngestLimits,
): { envelope: CwlEnvelope; truncated: number } {
  let truncated = 0;
  let changed: CwlEnvelope['logEvents'][number][] | undefined;
  env.logEvents.forEach((e, i) => {
    const c = capEvent(e.message, limits);
    if (!c.truncated) return;
    truncated += 1;
    changed ??= [...env.logEvents];
    changed[i] = { ...e, message: c.text };
  });
  return { envelope: changed ? { ...env, logEvents: changed } : env, truncated };
}
