import { z } from 'zod';
import type { Outcome } from '../core/outcome.js';
import type { Normalizer } from '../transform/normalize.js';
import { type LogEvent, LogEventSchema } from '../transform/schema.js';
import { formatPath, parseYamlWith } from './parse.js';
import type { FilterPipeline } from './pipeline.js';
import { makeEvent } from './sample-event.js';

/**
 * Cases: expected outcomes of a rules file, written in YAML by filter authors (no TypeScript),
 * checked by `sluice filters test FILE --cases CASES.yaml` (exit 1 when one fails) and, for the
 * files in `filters/fixtures/`, by `npm test`. Each case gives an event (fields over a valid base
 * event, or a raw log line as the transform would normalise it) and what must come out.
 */

/** The log group a case's raw `line` comes from unless it names one. */
const DEFAULT_CASE_LOG_GROUP = '/aws/lambda/sample';

const ExpectSchema = z
  .strictObject({
    outcome: z.enum(['keep', 'drop', 'fail']).describe('What the rules must do with the event.'),
    reason: z.string().min(1).optional().describe('For `drop`: the name of the rule that must drop it.'),
    rules: z
      .array(z.string().min(1))
      .optional()
      .describe('Exactly the rules that must act on the event, in order (as `filters test` lists them).'),
    event: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'For `keep`: fields the output event must have (a subset: unnamed fields may be anything; lists compare whole).',
      ),
    absent: z
      .array(z.string().min(1))
      .optional()
      .describe('For `keep`: texts that must appear nowhere in the output event (the secrets of the input).'),
    no_redaction: z.boolean().optional().describe('For `keep`: no redact rule may change the event.'),
  })
  .superRefine((e, ctx) => {
    if (e.reason !== undefined && e.outcome !== 'drop')
      ctx.addIssue({ code: 'custom', path: ['reason'], message: `no reason with outcome ${e.outcome}` });
    for (const key of ['event', 'absent', 'no_redaction'] as const)
      if (e[key] !== undefined && e.outcome !== 'keep')
        ctx.addIssue({ code: 'custom', path: [key], message: `no ${key} with outcome ${e.outcome}` });
  });

/** One case. */
export const CaseSchema = z
  .strictObject({
    name: z.string().min(1).max(200).describe('What the case shows (printed with its result).'),
    input: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Fields of a `LogEvent`, merged at the top level over a valid base event.'),
    line: z.string().optional().describe('Or a raw log line, normalised as the transform does.'),
    log_group: z
      .string()
      .min(1)
      .optional()
      .describe(`For \`line\`: the log group it comes from (default \`${DEFAULT_CASE_LOG_GROUP}\`).`),
    expect: ExpectSchema.describe('What must come out of the rules.'),
  })
  .superRefine((c, ctx) => {
    if ((c.input === undefined) === (c.line === undefined))
      ctx.addIssue({ code: 'custom', path: [], message: 'exactly one of input or line' });
    if (c.log_group !== undefined && c.line === undefined)
      ctx.addIssue({ code: 'custom', path: ['log_group'], message: 'no log_group without line' });
  });

/** A cases file. */
export const CasesFileSchema = z.strictObject({
  description: z.string().optional(),
  secrets: z
    .record(z.string(), z.string().min(1))
    .optional()
    .describe('Test-only HMAC keys by name, so that `hash` tokens are stable (never production keys).'),
  cases: z.array(CaseSchema).min(1),
});

/** One validated case. */
export type Case = z.output<typeof CaseSchema>;
/** A validated cases file. */
export type CasesFile = z.output<typeof CasesFileSchema>;

/** Parses and validates a cases file (YAML or JSON); throws `RuleConfigError` with line:column. */
export function parseCasesFile(text: string, source: string): CasesFile {
  return parseYamlWith(text, source, CasesFileSchema).value;
}

/** The event a case runs on, or the reason its `input` is not a valid `LogEvent`. */
export function caseEvent(
  c: Case,
  normalizer: Normalizer,
): { event: LogEvent; problem?: undefined } | { event?: undefined; problem: string } {
  if (c.line !== undefined) {
    const events = normalizer.lines(c.line, {
      logGroup: c.log_group ?? DEFAULT_CASE_LOG_GROUP,
      logStream: 'cases',
      id: '0'.repeat(40),
    });
    const [event] = events;
    if (event && events.length === 1) return { event };
    return {
      problem: `line: gives ${events.length} events (an OTLP resourceLogs batch), expected one: a case tests one event, so give each log record its own case`,
    };
  }
  const parsed = LogEventSchema.safeParse({ ...makeEvent(), ...c.input });
  if (parsed.success) return { event: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    problem: `input: not a valid LogEvent (${issue ? `${formatPath(issue.path) || '(root)'}: ${issue.message}` : 'invalid'})`,
  };
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** Where `actual` differs from `expected` (a subset: objects may have more keys; lists compare whole). */
export function subsetProblems(actual: unknown, expected: unknown, at: string): string[] {
  if (expected !== null && typeof expected === 'object') {
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual) || actual.length !== expected.length)
        return [`${at}: expected ${show(expected)}, got ${show(actual)}`];
      return expected.flatMap((e, i) => subsetProblems(actual[i], e, `${at}[${i}]`));
    }
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
      return [`${at}: expected ${show(expected)}, got ${show(actual)}`];
    return Object.entries(expected).flatMap(([k, e]) =>
      subsetProblems(
        Object.hasOwn(actual, k) ? (actual as Record<string, unknown>)[k] : undefined,
        e,
        `${at}.${k}`,
      ),
    );
  }
  return Object.is(actual, expected) ? [] : [`${at}: expected ${show(expected)}, got ${show(actual)}`];
}

/**
 * Runs one case's event through `pipeline`: what differs from its `expect` (none: it passes), and
 * the rules that acted on it.
 */
export function checkCase(
  pipeline: FilterPipeline,
  c: Case,
  event: LogEvent,
): { problems: string[]; fired: readonly string[] } {
  const { outcome, fired } = pipeline.explain(event);
  return { problems: expectationProblems(c, outcome, fired), fired };
}

function expectationProblems(c: Case, outcome: Outcome<LogEvent>, fired: readonly string[]): string[] {
  const want = c.expect;
  const problems: string[] = [];
  if (outcome.kind !== want.outcome) {
    const detail =
      outcome.kind === 'drop'
        ? ` (dropped by ${outcome.reason})`
        : outcome.kind === 'fail'
          ? ` (${outcome.error.code}: ${outcome.error.message})`
          : '';
    problems.push(`outcome: expected ${want.outcome}, got ${outcome.kind}${detail}`);
  }
  if (want.reason !== undefined && outcome.kind === 'drop' && outcome.reason !== want.reason)
    problems.push(`reason: expected ${want.reason}, got ${outcome.reason}`);
  if (want.rules !== undefined && JSON.stringify(fired) !== JSON.stringify(want.rules))
    problems.push(`rules: expected [${want.rules.join(', ')}], got [${fired.join(', ')}]`);
  if (outcome.kind !== 'keep') return problems;
  if (want.event) problems.push(...subsetProblems(outcome.event, want.event, 'event'));
  const text = JSON.stringify(outcome.event);
  for (const secret of want.absent ?? [])
    if (text.includes(secret)) problems.push(`absent: ${JSON.stringify(secret)} is in the output event`);
  if (want.no_redaction && outcome.event.redaction)
    problems.push(`no_redaction: redacted by [${outcome.event.redaction.rules.join(', ')}]`);
  return problems;
}
