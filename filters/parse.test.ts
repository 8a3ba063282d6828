import { describe, expect, it } from 'vitest';
import { RuleConfigError } from './errors.js';
import { loadRuleFile, parseRuleFile } from './parse.js';

function problemsOf(text: string) {
  try {
    parseRuleFile(text, 'rules.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(RuleConfigError);
    return (err as RuleConfigError).problems;
  }
  throw new Error('expected the rules file to be rejected');
}

describe('parseRuleFile', () => {
  it('accepts a valid YAML file and applies defaults', () => {
    const file = parseRuleFile(
      'rules:\n  - name: drop-health\n    kind: drop\n    drop_when: { field: attributes.path, equals: /health }\n',
      'r.yaml',
    );
    expect(file.default_pack).toBe(true);
    expect(file.version).toBe(1);
    expect(file.rules[0]).toMatchObject({ name: 'drop-health', kind: 'drop' });
  });

  it('accepts JSON', () => {
    const file = parseRuleFile(
      JSON.stringify({ default_pack: false, rules: [{ name: 'r', kind: 'route', route: 'audit' }] }),
      'r.json',
    );
    expect(file.default_pack).toBe(false);
    expect(file.rules).toHaveLength(1);
  });

  it('accepts an empty file as no rules', () => {
    expect(parseRuleFile('', 'empty.yaml').rules).toEqual([]);
  });

  it('lists every problem with rule, path, line:column, received and expected', () => {
    const problems = problemsOf(
      [
        'rules:',
        '  - name: drop-a',
        '    kind: drop',
        '    drop_when: { field: a..b, equals: 1 }',
        '  - name: x',
        '    kind: dorp',
        '  - name: r',
        '    kind: redact',
        '    fields: [attributes.user]',
        '    colour: red',
      ].join('\n'),
    );
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatchObject({
      rule: 'drop-a',
      path: 'rules[0].drop_when.field',
      line: 4,
      column: 25,
    });
    expect(problems[0]?.received).toContain('"a..b"');
    expect(problems[0]?.expected).toContain('empty segment');
    expect(problems[1]).toMatchObject({ rule: 'x', path: 'rules[1].kind', line: 6, column: 11 });
    expect(problems[1]?.expected).toContain('redact, drop, sample, enrich, route');
    expect(problems[2]).toMatchObject({ rule: 'r', path: 'rules[2].colour', line: 10, column: 5 });
    expect(problems[2]?.received).toContain("'colour'");
  });

  it('rejects unknown top-level keys', () => {
    const [p] = problemsOf('rules: []\ndefault_pak: false\n');
    expect(p).toMatchObject({ path: 'default_pak', line: 2, column: 1 });
    expect(p?.rule).toBeUndefined();
  });

  it('rejects paths reaching __proto__, constructor or prototype', () => {
    const problems = problemsOf(
      [
        'rules:',
        '  - name: a',
        '    kind: drop',
        '    drop_when: { field: attributes.__proto__.x, exists: true }',
        '  - name: b',
        '    kind: redact',
        '    fields: [attributes.constructor]',
        '  - name: c',
        '    kind: enrich',
        '    set: { attributes.prototype: 1 }',
      ].join('\n'),
    );
    expect(problems.map((p) => p.rule)).toEqual(['a', 'b', 'c']);
    for (const p of problems) expect(p.expected).toMatch(/forbidden segment/);
  });

  it('rejects a __proto__ key in the file as unknown instead of polluting prototypes', () => {
    const problems = problemsOf('rules: []\n__proto__: { polluted: true }\n');
    expect(problems[0]?.path).toBe('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects a catastrophic author regex with a clear message', { timeout: 60_000 }, () => {
    const [p] = problemsOf(
      "rules:\n  - name: r\n    kind: drop\n    drop_when: { field: message, matches: '^(a+)+$' }\n",
    );
    expect(p).toMatchObject({ rule: 'r', path: 'rules[0].drop_when.matches', line: 4 });
    expect(p?.expected).toMatch(/catastrophic \(ReDoS\)/);
  });

  it('rejects regexes RE2 cannot run (backreferences, lookaround)', () => {
    const [p] = problemsOf(
      "rules:\n  - name: r\n    kind: drop\n    drop_when: { field: message, matches: '(a)\\1' }\n",
    );
    expect(p?.expected).toMatch(/not a valid RE2/);
  });

  it('rejects duplicate rule names', () => {
    const [p] = problemsOf(
      'rules:\n  - { name: a, kind: route, route: x }\n  - { name: a, kind: route, route: y }\n',
    );
    expect(p).toMatchObject({ path: 'rules[1].name', line: 3 });
  });

  it('reports YAML syntax errors with their position', () => {
    const [p] = problemsOf('rules:\n  - name: a\n   kind: drop\n');
    expect(p?.line).toBeGreaterThan(0);
    expect(p?.expected).toBe('valid YAML or JSON');
  });

  it('refuses a YAML alias bomb as a problem', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
      );
    const [p] = problemsOf(lines.join('\n'));
    expect(p?.message).toBe('the YAML cannot be expanded safely');
  });

  it('reports duplicate keys', () => {
    const [p] = problemsOf('rules: []\nrules: []\n');
    expect(p?.received).toContain('DUPLICATE_KEY');
  });

  it('requires hash_key with action hash and rejects options of other actions', () => {
    const problems = problemsOf(
      'rules:\n  - name: r\n    kind: redact\n    keys: [email]\n    action: hash\n    keep_last: 4\n',
    );
    expect(problems.map((p) => p.path).sort()).toEqual(['rules[0].hash_key', 'rules[0].keep_last']);
  });

  it('loadRuleFile reports an unreadable file with its code', async () => {
    await expect(loadRuleFile('/nonexistent/rules.yaml')).rejects.toMatchObject({
      code: 'FILTERS_FILE_UNREADABLE',
    });
  });
});
