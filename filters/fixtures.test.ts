import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { deepFreeze } from '../test/factories/freeze.js';
import { compileNormalizer } from '../transform/normalize.js';
import { CasesFileSchema, caseEvent, checkCase } from './cases.js';
import { validateRuleFile } from './parse.js';
import { compileRules } from './pipeline.js';

/**
 * Runs `filters/fixtures/*.yaml`: cases filter authors add without writing TypeScript. A fixture
 * is a cases file (`filters/cases.ts`, the format of `sluice filters test --cases`) with its
 * rules file embedded under `rules`; each case is checked by the same `checkCase`.
 */
const FixtureSchema = CasesFileSchema.extend({ description: z.string(), rules: z.unknown() });

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const normalizer = compileNormalizer();

it('has fixture files', () => expect(files.length).toBeGreaterThan(0));

describe.each(files)('fixture %s', (file) => {
  const fixture = FixtureSchema.parse(parse(readFileSync(path.join(dir, file), 'utf8')));
  const pipeline = compileRules(validateRuleFile(fixture.rules ?? {}, file), {
    secrets: fixture.secrets ?? {},
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { event, problem } = caseEvent(c, normalizer);
    expect(problem).toBeUndefined();
    expect(checkCase(pipeline, c, deepFreeze(event as NonNullable<typeof event>)).problems).toEqual([]);
  });
});
