import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { validateRuleFile } from './parse.js';
import { compileRules } from './pipeline.js';
import { deepFreeze, makeEvent } from './testing.js';

/**
 * Runs `filters/fixtures/*.yaml`: cases filter authors add without writing TypeScript.
 * Each case's `input` is merged (top level) over a valid base event.
 */
const FixtureSchema = z.strictObject({
  description: z.string(),
  rules: z.unknown(),
  secrets: z.record(z.string(), z.string()).optional(),
  cases: z
    .array(
      z.strictObject({
        name: z.string(),
        input: z.record(z.string(), z.unknown()),
        expect: z.strictObject({
          outcome: z.enum(['keep', 'drop', 'fail']),
          reason: z.string().optional(),
          event: z.record(z.string(), z.unknown()).optional(),
          absent: z.array(z.string()).optional(),
          no_redaction: z.boolean().optional(),
        }),
      }),
    )
    .min(1),
});

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

it('has fixture files', () => expect(files.length).toBeGreaterThan(0));

describe.each(files)('fixture %s', (file) => {
  const fixture = FixtureSchema.parse(parse(readFileSync(path.join(dir, file), 'utf8')));
  const pipeline = compileRules(validateRuleFile(fixture.rules ?? {}, file), {
    secrets: fixture.secrets ?? {},
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const input = deepFreeze({ ...makeEvent(), ...c.input } as ReturnType<typeof makeEvent>);
    const out = pipeline.process(input);
    expect(out.kind).toBe(c.expect.outcome);
    if (out.kind === 'drop' && c.expect.reason) expect(out.reason).toBe(c.expect.reason);
    if (out.kind !== 'keep') return;
    if (c.expect.event) expect(out.event).toMatchObject(c.expect.event);
    const text = JSON.stringify(out.event);
    for (const secret of c.expect.absent ?? []) expect(text).not.toContain(secret);
    if (c.expect.no_redaction) expect(out.event.redaction).toBeUndefined();
  });
});
