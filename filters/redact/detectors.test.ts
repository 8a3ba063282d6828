import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { isCardNumber, luhn } from './cards.js';
import type { Spans } from './detectors/detector.js';
import type { DetectorId } from './detectors/index.js';
import { DETECTOR_LIST } from './detectors/index.js';
import { BUILT_IN_REGEXES, DETECTOR_IDS, DETECTOR_MIN_LENGTH, DETECTORS } from './detectors.js';

function redactWith(id: DetectorId, s: string): string {
  const spans = DETECTORS[id](s);
  return spans ? replaceSpans(s, spans, () => '#') : s;
}

describe('built-in detectors', () => {
  it('has unique ids', () => {
    expect(new Set(DETECTOR_IDS).size).toBe(DETECTOR_LIST.length);
  });

  it('lists every detector file of detectors/ in DETECTOR_LIST', async () => {
    const files = readdirSync(DETECTORS_DIR).filter(
      (f) => f.endsWith('.ts') && !f.includes('.test.') && !NOT_DETECTORS.has(f),
    );
    const listed = new Set<unknown>(DETECTOR_LIST);
    for (const file of files) {
      const mod: Record<string, unknown> = await import(path.join(DETECTORS_DIR, file));
      const records = Object.values(mod).filter((v) => listed.has(v));
      expect(records, `${file} exports a detector listed in detectors/index.ts`).toHaveLength(1);
    }
    expect(files).toHaveLength(DETECTOR_LIST.length);
  });

  describe.each(DETECTOR_LIST.map((d) => [d.id, d] as const))('%s', (id, d) => {
    it.each(d.samples.redacts.map(([input, expected]) => [input, expected]))(
      'redacts only the secret in %j',
      (input, expected) => expect(redactWith(id, input)).toBe(expected),
    );

    it.each(d.samples.ignores.map((input) => [input]))('leaves %j alone', (input) =>
      expect(DETECTORS[id](input)).toBeUndefined(),
    );

    it(`the minimum length bound is not above its smallest match ${JSON.stringify(d.samples.smallest)}`, () => {
      expect(DETECTORS[id](d.samples.smallest)).toBeDefined();
      expect(DETECTOR_MIN_LENGTH[id]).toBeLessThanOrEqual(d.samples.smallest.length);
    });

    it('has at least one sample it redacts', () => expect(d.samples.redacts.length).toBeGreaterThan(0));
  });

  it('checks Luhn and the card shape', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
    expect(isCardNumber('4111111111111111')).toBe(true);
    expect(isCardNumber('411111111111')).toBe(false);
    expect(isCardNumber('1111111111111117')).toBe(false);
  });

  it('finds every regex literal of filters/redact and filters/redact/detectors (so the ReDoS check below covers a new one by itself)', () => {
    const literals = regexLiteralsIn(REDACT_DIR);
    expect(literals.length).toBeGreaterThanOrEqual(BUILT_IN_REGEXES.length);
    for (const re of BUILT_IN_REGEXES) {
      // every listed detector regex is a literal the scan found (none is built at run time)
      expect(literals.map((l) => `/${l.source}/${l.flags}`)).toContain(`/${re.source}/${re.flags}`);
    }
  });

  it.each(regexesToCheck().map((re) => [`/${re.source}/${re.flags}`, re] as const))(
    'regex %s is linear (recheck)',
    // recheck runs a native checker in a subprocess: its wall time grows on a loaded machine, and
    // a timed-out check answers 'unknown', so give it room (this is a proof, not a speed test).
    { timeout: 120_000 },
    (_src, re) => {
      const flags = re.flags.replace(/[gyd]/g, '');
      // A sticky regex is only ever tried at one position (the scanner moves past what it read).
      const source = re.sticky ? `^(?:${re.source})` : re.source;
      expect(checkSync(source, flags, { timeout: 100_000 }).status).toBe('safe');
    },
  );
});

/** Replaces every span of `s` with `replace(matched text)`. */
function replaceSpans(s: string, spans: Spans, replace: (match: string) => string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < spans.length; i += 2) {
    const start = spans[i]!;
    const end = spans[i + 1]!;
    out += s.slice(last, start) + replace(s.slice(start, end));
    last = end;
  }
  return out + s.slice(last);
}

const REDACT_DIR = path.dirname(fileURLToPath(import.meta.url));
const DETECTORS_DIR = path.join(REDACT_DIR, 'detectors');
/** The files of detectors/ that hold no detector record. */
const NOT_DETECTORS = new Set(['detector.ts', 'features.ts', 'index.ts']);

/**
 * Every regex literal in the non-test sources of `dir` and its subfolders (parsed with the
 * TypeScript compiler).
 */
function regexLiteralsIn(dir: string): RegExp[] {
  const out: RegExp[] = [];
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.includes('.test.'),
  );
  for (const file of files) {
    const sf = ts.createSourceFile(
      file,
      readFileSync(path.join(dir, file), 'utf8'),
      ts.ScriptTarget.ES2022,
      true,
    );
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText(sf);
        const end = text.lastIndexOf('/');
        out.push(new RegExp(text.slice(1, end), text.slice(end + 1)));
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/** The detector regexes and every other regex literal of the redaction code, once each. */
function regexesToCheck(): RegExp[] {
  const seen = new Map<string, RegExp>();
  for (const re of [...BUILT_IN_REGEXES, ...regexLiteralsIn(REDACT_DIR)])
    seen.set(`/${re.source}/${re.flags}`, re);
  return [...seen.values()];
}
