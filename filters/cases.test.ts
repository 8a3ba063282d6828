import { describe, expect, it } from 'vitest';
import { compileNormalizer } from '../transform/normalize.js';
import { type Case, caseEvent, checkCase, parseCasesFile, subsetProblems } from './cases.js';
import { RuleConfigError } from './errors.js';
import { parseRuleFile } from './parse.js';
import { compileRules } from './pipeline.js';

const normalizer = compileNormalizer();
const pipeline = compileRules(
  parseRuleFile(
    `rules:
  - { name: drop-health, kind: drop, drop_when: { field: attributes.route, equals: /health } }
  - { name: users, kind: redact, fields: [attributes.user.id], action: partial, keep_last: 2 }
`,
    'rules.yaml',
  ),
);

/** Checks the only case of a one-case YAML cases file. */
function check(yaml: string): string[] {
  const c = parseCasesFile(`cases:\n${yaml}`, 'cases.yaml').cases[0] as Case;
  const { event, problem } = caseEvent(c, normalizer);
  if (problem !== undefined) return [problem];
  return checkCase(pipeline, c, event).problems;
}

describe('cases', () => {
  it('passes a case whose expectations hold (input over the base event, and a raw line)', () => {
    expect(
      check(`  - name: partial user id
    input: { attributes: { user: { id: u-12345 } } }
    expect:
      outcome: keep
      rules: [users]
      event: { attributes: { user: { id: "*****45" } }, redaction: { rules: [users] } }
      absent: [u-12345]
`),
    ).toEqual([]);
    expect(
      check(`  - name: health checks from a pino line are dropped
    line: '{"level":30,"time":1714564800000,"msg":"ok","route":"/health"}'
    expect: { outcome: drop, reason: drop-health, rules: [drop-health] }
`),
    ).toEqual([]);
  });

  it('says what differs, with the path, for each expectation that fails', () => {
    expect(
      check(`  - name: wrong
    input: { attributes: { user: { id: u-12345 }, tags: [a, b] } }
    expect:
      outcome: keep
      rules: []
      event: { attributes: { user: { id: u-12345 }, tags: [a], other: 1 } }
      absent: ["45"]
      no_redaction: true
`),
    ).toEqual([
      'rules: expected [], got [users]',
      'event.attributes.user.id: expected "u-12345", got "*****45"',
      'event.attributes.tags: expected ["a"], got ["a","b"]',
      'event.attributes.other: expected 1, got nothing',
      'absent: "45" is in the output event',
      'no_redaction: redacted by [users]',
    ]);
    expect(
      check(`  - name: not dropped
    input: { attributes: { route: /health } }
    expect: { outcome: keep }
`),
    ).toEqual(['outcome: expected keep, got drop (dropped by drop-health)']);
    expect(
      check(`  - name: other rule
    input: { attributes: { route: /health } }
    expect: { outcome: drop, reason: something-else }
`),
    ).toEqual(['reason: expected something-else, got drop-health']);
  });

  it('reports an input that is not a valid LogEvent instead of running it', () => {
    expect(
      check(`  - name: typo
    input: { atributes: {} }
    expect: { outcome: keep }
`),
    ).toEqual([expect.stringMatching(/^input: not a valid LogEvent \(\(root\): Unrecognized key/)]);
  });

  it('compares subsets: more keys are fine, lists and types are exact', () => {
    expect(subsetProblems({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] } }, 'e')).toEqual([]);
    expect(subsetProblems({ a: '1' }, { a: 1 }, 'e')).toEqual(['e.a: expected 1, got "1"']);
    expect(subsetProblems({ a: [{ x: 1, y: 2 }] }, { a: [{ x: 1 }] }, 'e')).toEqual([]);
    expect(subsetProblems({ a: null }, { a: {} }, 'e')).toEqual(['e.a: expected {}, got null']);
  });

  it('rejects a malformed cases file with every problem, its path and line:column', () => {
    const bad = `cases:
  - name: both
    input: {}
    line: x
    expect: { outcome: drop, event: {} }
  - name: extra
    input: {}
    expect: { outcome: keep, outcom: keep }
`;
    let error: unknown;
    try {
      parseCasesFile(bad, 'bad.yaml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RuleConfigError);
    const problems = (error as RuleConfigError).problems.map(
      (p) => `${p.line}:${p.column} ${p.path}: ${p.expected}`,
    );
    expect(problems).toEqual([
      '2:5 cases[0]: exactly one of input or line',
      '5:37 cases[0].expect.event: no event with outcome drop',
      '8:30 cases[1].expect.outcom: only the documented keys (see docs/filters.md)',
    ]);
  });
  it('refuses a raw line that gives several events (an OTLP batch) instead of testing only its first', () => {
    const rec = (n: number) => ({ timeUnixNano: '1700000000000000000', body: { stringValue: `r${n}` } });
    const line = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [rec(1), rec(2)] }] }] });
    const c = parseCasesFile(
      `cases:\n  - name: otlp\n    line: '${line}'\n    expect: { outcome: keep }\n`,
      'c.yaml',
    ).cases[0] as Case;
    const { event, problem } = caseEvent(c, normalizer);
    expect(event).toBeUndefined();
    expect(problem).toMatch(/^line: gives 2 events \(an OTLP resourceLogs batch\), expected one/);
  });
});
