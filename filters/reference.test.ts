import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileNormalizer } from '../transform/normalize.js';
import { caseEvent, checkCase, parseCasesFile } from './cases.js';
import { parseRuleFile } from './parse.js';
import { compileRules } from './pipeline.js';
import {
  CASES_EXAMPLE,
  EXAMPLES,
  REFERENCE_FILES,
  renderReference,
  ruleFileJsonSchema,
} from './reference.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('generated reference', () => {
  it.each(Object.entries(REFERENCE_FILES))('%s is up to date (run `sluice filters docs`)', (kind, rel) => {
    const expected = kind === 'schema' ? ruleFileJsonSchema() : renderReference();
    expect(readFileSync(path.join(root, rel), 'utf8')).toBe(expected);
  });

  it.each(Object.entries(EXAMPLES))('example %s is a valid rules file that compiles', (_name, text) => {
    const file = parseRuleFile(text, 'example.yaml');
    expect(() => compileRules(file, { secrets: { PII_HASH_KEY: 'k' } })).not.toThrow();
  });

  it('the example cases file passes against the example rules file', () => {
    const cases = parseCasesFile(CASES_EXAMPLE, 'example.cases.yaml');
    const pipeline = compileRules(parseRuleFile(EXAMPLES.file, 'example.yaml'), {
      secrets: cases.secrets ?? {},
    });
    const normalizer = compileNormalizer();
    for (const c of cases.cases) {
      const { event, problem } = caseEvent(c, normalizer);
      expect([c.name, problem]).toEqual([c.name, undefined]);
      expect([c.name, checkCase(pipeline, c, event as NonNullable<typeof event>).problems]).toEqual([
        c.name,
        [],
      ]);
    }
  });

  it('documents every rule kind, condition operator and detector', () => {
    const md = renderReference();
    for (const word of [
      '## `redact`',
      '## `drop`',
      '## `sample`',
      '## `enrich`',
      '## `route`',
      '`gte`',
      '`payment_card`',
      '`default/jwt`',
    ])
      expect(md).toContain(word);
  });
});
