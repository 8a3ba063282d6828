import { z } from 'zod';
import { CaseSchema } from './cases.js';
import { ConditionSchema } from './condition/config.js';
import { DropRuleSchema } from './drop/config.js';
import { EnrichRuleSchema } from './enrich/config.js';
import { RedactRuleSchema } from './redact/config.js';
import { DEFAULT_PACK } from './redact/default-pack.js';
import { DETECTOR_DESCRIPTIONS, DETECTOR_IDS } from './redact/detectors.js';
import { RouteRuleSchema } from './route/config.js';
import { RuleFileSchema } from './rule-file.js';
import { SampleRuleSchema } from './sample/config.js';
import { makeEvent } from './sample-event.js';

/** Where the generated files live, relative to the repository root. */
export const REFERENCE_FILES = { schema: 'docs/rules.schema.json', markdown: 'docs/filters.md' } as const;

/** The JSON Schema of a rules file (input form: defaults are optional), for editors. */
export function ruleFileJsonSchema(): string {
  const schema = z.toJSONSchema(RuleFileSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, $id: 'https://sluice.dev/schemas/rules.schema.json', title: 'Sluice rules file' }, null, 2)}\n`;
}

type JsonSchema = {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  minimum?: number;
  maximum?: number;
};

function typeOf(s: JsonSchema): string {
  if (s.$ref) return 'condition';
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.oneOf) return 'rule (by `kind`, below)';
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
  if (Array.isArray(s.type)) return s.type.join(' \\| ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'values'}`;
  if (s.type === 'object' && s.properties) return 'mapping (below)';
  if (s.type === 'object') return 'mapping';
  const range =
    s.minimum !== undefined || s.maximum !== undefined ? ` (${s.minimum ?? ''}–${s.maximum ?? ''})` : '';
  return `${s.type ?? 'any value'}${range}`;
}

function cell(text: string | undefined): string {
  return (text ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function table(schema: z.ZodType, prefix = ''): string {
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const rows: string[] = [];
  const walk = (node: JsonSchema, at: string): void => {
    for (const [key, prop] of Object.entries(node.properties ?? {})) {
      const required = node.required?.includes(key) && prop.default === undefined ? 'yes' : '';
      const def = prop.default !== undefined ? `\`${JSON.stringify(prop.default)}\`` : '';
      const desc = prop.description ?? prop.items?.description ?? '';
      rows.push(`| \`${at}${key}\` | ${cell(typeOf(prop))} | ${required} | ${def} | ${cell(desc)} |`);
      if (prop.type === 'object' && prop.properties) walk(prop, `${at}${key}.`);
    }
  };
  walk(js, prefix);
  return ['| key | type | required | default | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** Examples in the reference; `reference.test.ts` checks that each one is a valid rules file. */
export const EXAMPLES: Readonly<Record<'redact' | 'drop' | 'sample' | 'enrich' | 'route' | 'file', string>> =
  {
    file: `# yaml-language-server: $schema=../docs/rules.schema.json
version: 1
default_pack: true          # the built-in secret detectors (on unless false)
rules:
  - name: drop-health-checks
    kind: drop
    drop_when: { field: attributes.http.path, matches: "^/(health|ready)$" }
  - name: hash-customer-email
    kind: redact
    fields: [attributes.customer.email]
    detectors: [email]
    action: hash
    hash_key: PII_HASH_KEY   # the NAME of the key; the value comes from the environment
`,
    redact: `rules:
  - name: user-details
    kind: redact
    fields: [attributes.user.*, "**.password"]
    keys: ["*token*", authorization]
    detectors: [payment_card, email, phone]
    patterns: ["ORD-[0-9]{8}"]
    action: mask
    mask_text: "[hidden]"
  - name: card-last-four
    kind: redact
    fields: [attributes.payment.pan]
    action: partial
    keep_last: 4
  - name: remove-payloads-of-payments
    kind: redact
    when: { field: service.name, equals: payments }
    fields: [attributes.request.body]
    action: remove
`,
    drop: `rules:
  - name: drop-debug-in-prod
    kind: drop
    drop_when:
      and:
        - { field: log.level, in: [trace, debug] }
        - { field: attributes.stage, equals: prod }
        - not: { field: attributes.keep, exists: true }
`,
    sample: `rules:
  - name: sample-chatty-service
    kind: sample
    keep_ratio: 0.1            # one transaction in ten; warn and above always kept
    key: transaction.id
    when: { field: service.name, equals: chatty }
`,
    enrich: `rules:
  - name: stage-from-log-group
    kind: enrich
    rename: { attributes.uid: attributes.user.id }
    set: { attributes.team: payments }
    from_log_group:
      pattern: "^/aws/lambda/(?P<app>[a-z]+)-(?P<stage>[a-z]+)$"
      set: { attributes.stage: "{stage}", service.name: "{app}" }
`,
    route: `rules:
  - name: audit-to-audit-index
    kind: route
    when: { field: attributes.audit, equals: true }
    route: audit
`,
  };

/** An example cases file for {@link EXAMPLES}.file (`reference.test.ts` checks that it passes). */
export const CASES_EXAMPLE = `# sluice filters test rules.yaml --cases rules.cases.yaml
secrets: { PII_HASH_KEY: test-only-key }
cases:
  - name: health checks are dropped
    input: { attributes: { http: { path: /health } } }
    expect: { outcome: drop, reason: drop-health-checks }
  - name: an e-mail in the text is hashed, never kept
    line: '{"level":30,"time":1714564800000,"msg":"signup by ann@example.com"}'
    expect:
      outcome: keep
      rules: [hash-customer-email]
      absent: [ann@example.com]
`;

const KIND_SECTIONS: readonly [string, z.ZodType, keyof typeof EXAMPLES][] = [
  ['redact', RedactRuleSchema, 'redact'],
  ['drop', DropRuleSchema, 'drop'],
  ['sample', SampleRuleSchema, 'sample'],
  ['enrich', EnrichRuleSchema, 'enrich'],
  ['route', RouteRuleSchema, 'route'],
];

const yaml = (text: string) => ['```yaml', text.trimEnd(), '```'].join('\n');

/** The filter authors' reference, generated from the zod `.describe()` texts. */
export function renderReference(): string {
  const out: string[] = [
    '# Filter rules reference',
    '',
    '<!-- Generated by `sluice filters docs` from the zod schemas in filters/ (their `.describe()` texts). Do not edit by hand; `filters/reference.test.ts` fails when it is out of date. -->',
    '',
    'Filter authors write a rules file (YAML, or JSON) that the transform stage compiles once and runs on every',
    'event: redact secrets and personal data, drop noise, sample, enrich and route. Editors validate and complete it',
    `with the JSON Schema \`${REFERENCE_FILES.schema}\`.`,
    '',
    yaml(EXAMPLES.file),
    '',
    '## The rules file',
    '',
    RuleFileSchema.description ?? '',
    '',
    table(RuleFileSchema),
    '',
    'Unknown keys are errors everywhere. Every problem is reported with the rule, the path, the line:column, what was',
    'received and what was expected — all of them at once (`sluice filters lint FILE`).',
    '',
    '## Order of execution',
    '',
    '1. `drop`, `sample`, `enrich` and `route` rules run in file order. The first rule that drops an event stops it;',
    '   the outcome is `drop` with the rule name as the reason, and the drop is counted under that name.',
    '2. Redaction runs last, over the final event, so nothing a rule added escapes it. All redact rules are applied',
    '   in one walk: author redact rules in file order, then the default pack. A field or key claimed by an earlier',
    '   rule is not seen by later ones; detectors and patterns all scan the original text, and where their matches',
    '   overlap the earlier rule wins. Each redacted event lists the rules that changed it in `redaction.rules`.',
    '   A redact rule with `when` takes part only for events its condition holds for (checked before any redaction);',
    '   on the other events the fields it would claim are left to the later rules and the default pack.',
    '3. The first `route` rule that matches sets `event.route`; later route rules leave it alone.',
    '',
    'Rules see `message`, `error.*` and `attributes.**`, key names included: a secret used as a key (an access key,',
    'a token) is replaced in the key too (`{"[REDACTED:aws_access_key_id]": …}`; `#2` is appended on a clash). The',
    "other fields belong to the pipeline and no rule names them, but the default pack's secret detectors also scan",
    'the id-like ones — `transaction.id`, `trace.id`, `faas.execution`, `service.name`, `aws.cloudwatch.log_group` and',
    '`log_stream` — and mask only the secret inside (`svc-[REDACTED:aws_access_key_id]`), so a token used as a',
    'correlation id is never stored (its events then share the masked id). `@timestamp`, `event.id` and `log` are never',
    'touched.',
    '',
  ];
  for (const [kind, schema, example] of KIND_SECTIONS) {
    out.push(
      `## \`${kind}\``,
      '',
      schema.description ?? '',
      '',
      table(schema),
      '',
      yaml(EXAMPLES[example]),
      '',
    );
  }
  out.push(
    '## Conditions',
    '',
    ConditionSchema.description ?? '',
    'A missing field is never an error: comparisons on it are false and `exists: false` is true. Comparisons are',
    'strict (`equals: 200` does not match the string `"200"`).',
    '',
    table(ConditionSchema),
    '',
    '## Detectors',
    '',
    'Built-in detectors for `redact.detectors`. Each runs a cheap pre-check (a fixed substring or a short scan) before',
    'any regex, and every built-in regex is proven linear by `recheck` in the tests.',
    '',
    '| detector | finds |',
    '|---|---|',
    ...DETECTOR_IDS.map((d) => `| \`${d}\` | ${cell(DETECTOR_DESCRIPTIONS[d])} |`),
    '',
    '## Default pack',
    '',
    'On unless the file says `default_pack: false` (or the runtime passes `defaultPack: false`). It masks with',
    '`[REDACTED:<what>]`; author redact rules take precedence over it on the same value.',
    '',
    '| rule | redacts |',
    '|---|---|',
    ...DEFAULT_PACK.map(
      (r) =>
        `| \`${r.name}\` | ${r.keys ? `values under keys ${r.keys.map((k) => `\`${k}\``).join(', ')}` : (r.detectors ?? []).map((d) => DETECTOR_DESCRIPTIONS[d]).join('; ')} |`,
    ),
    '',
    '## Safety',
    '',
    '- **Fail closed.** If a rule throws on an event, the outcome is `fail` (`FILTERS_RULE_FAILED`, naming the rule,',
    '  never the content): the runner dead-letters the event; it is never forwarded, redacted or not.',
    '- **ReDoS.** Author regexes run on `re2js` (RE2, linear time). They are also checked with `recheck` when the file',
    '  is parsed (RE2 syntax translated first: leading `(?i)`/`(?s)`/`(?m)` become flags, `(?P<name>` becomes `(?<name>`);',
    '  a pattern that would be catastrophic on a backtracking engine is rejected with a clear message, and so is one',
    '  the check cannot read or prove safe (e.g. `(?U)`, inline flags after the start, `\\pL`, `[[:alpha:]]`): unknown',
    '  fails closed.',
    '  A pattern that recheck proves safe and that uses only syntax RE2 and JavaScript read the same way (ASCII',
    '  literals and classes, `\\d` `\\w` `\\b`, groups, `|`, `^` `$`, quantifiers; no `.`, `\\s`, negated classes or',
    '  flags) matches on the native engine instead, with the same results (`filters/native-regex.ts`).',
    '- **Prototype safety.** Paths and key patterns cannot contain `__proto__`, `constructor` or `prototype`',
    '  (rejected when the file is parsed); lookups read own properties only.',
    '- **Secrets.** `hash_key` names a key; its value comes from the runtime (environment / Secrets Manager) and',
    '  compiling fails when it is missing. Error messages never echo event content.',
    '- **Nothing disappears unexplained.** Every drop carries the rule name and is counted per rule by the',
    '  stage that runs the rules (`core/stage.ts`, `droppedByRule`); a failure is a dead letter naming the rule;',
    '  a kept event lists the redact rules that changed it in `redaction.rules`.',
    '',
    '## Tools',
    '',
    '- `sluice filters lint FILE` — validates the file and compiles it; exit 2 listing every problem, 0 when clean.',
    '- `sluice filters test FILE [SAMPLES…]` — runs samples (NDJSON LogEvents or raw log lines; stdin when none)',
    '  and shows each event before/after as a diff, the rules that fired and the outcome.',
    '- `sluice filters test FILE --cases CASES.yaml …` — checks each case (below) and says what differs; exit 1',
    '  when a case fails, 2 when a file is invalid. Run it in CI next to `lint`. Both forms of `test` end by naming',
    '  the rules that acted on no sample or case (a condition or path that never holds shows up there).',
    '- `sluice process --rules FILE` — the transform + filter stages as a filter program.',
    '- `sluice filters docs [--check]` — regenerates this page and the JSON Schema (or checks they are current).',
    '',
    '## Cases: testing rules without TypeScript',
    '',
    'A cases file lists events and what the rules must do with each: the outcome, the rules that act, fields of the',
    'output and the texts that must be gone. `sluice filters test FILE --cases CASES.yaml` checks it and prints',
    'what differs, with its path. `npm test` checks the files in `filters/fixtures/` the same way (each embeds its',
    'rules file under `rules`). `secrets` holds test-only HMAC keys, so that `hash` tokens in `expect` are stable.',
    '',
    table(CaseSchema, 'cases[].'),
    '',
    'The base event that `input` is merged over (a top-level key of `input` replaces the whole key):',
    '',
    ['```json', JSON.stringify(makeEvent()), '```'].join('\n'),
    '',
    yaml(CASES_EXAMPLE),
    '',
  );
  return out.join('\n');
}
