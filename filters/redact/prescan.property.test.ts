import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adversarialLines } from '../../bench/filters-data.js';
import { decodeCwlData } from '../../ingest/decode.js';
import { detectorText } from '../../test/factories/detector-text.js';
import { generateKinesisPayloads } from '../../test/factories/payloads.js';
import { compileNormalizer } from '../../transform/normalize.js';
import type { CompileContext } from '../compile-context.js';
import { validateRuleFile } from '../parse.js';
import { type CompiledRedactRule, compileRedactRule } from './compile.js';
import { RedactRuleSchema } from './config.js';
import { DEFAULT_PACK } from './default-pack.js';
import { F_ALL, F_AUTHOR_FIRST } from './detectors/features.js';
import { DETECTOR_IDS, DETECTORS } from './detectors.js';
import { DETECTOR_NEEDS, featureTable, textFeatures } from './prescan.js';
import { compileTextScanner } from './scan.js';

const text = detectorText(40);

describe('pre-scan (fail closed)', () => {
  it('never rules out a detector that matches the string', () => {
    fc.assert(
      fc.property(text, (s) => {
        const features = textFeatures(s);
        for (const id of DETECTOR_IDS)
          if (DETECTORS[id](s) !== undefined)
            expect([id, s, features & DETECTOR_NEEDS[id]]).toEqual([id, s, DETECTOR_NEEDS[id]]);
      }),
      { numRuns: 5000 },
    );
  });

  it('gives text with any non-ASCII character every feature', () => {
    expect(textFeatures('token\u00a0abc')).toBe(F_ALL);
    expect(textFeatures('plain words only')).toBe(0);
    expect(textFeatures('Bearer abc')).not.toBe(0);
  });

  it('gives each distinct first character of an author prefix its own bit, set where it occurs', () => {
    const { table, needs } = featureTable(['SKU-', 'ORD-', 'SKU-X', '', 'sku-', '4111', 'é']);
    // '' (no prefix), a lowercase first letter, a digit and non-ASCII get no bit: those finders always run.
    expect(needs).toEqual([F_AUTHOR_FIRST, F_AUTHOR_FIRST * 2, F_AUTHOR_FIRST, 0, 0, 0, 0]);
    expect(textFeatures('id SKU-1', table) & needs[0]!).toBe(needs[0]);
    expect(textFeatures('id ORD-1', table) & needs[0]!).toBe(0);
    expect(textFeatures('id sku-1', table) & (needs[0]! | needs[1]!)).toBe(0);
  });
});

/** Every redact finder we have: all detectors, author patterns with and without literal prefixes, the default pack. */
function allFinderRules(): CompiledRedactRule[] {
  const ctx: CompileContext = { secrets: {}, problem: (p) => expect.fail(p.message) };
  const file = validateRuleFile({
    default_pack: false,
    rules: [
      { name: 'skus', kind: 'redact', patterns: ['SKU-[0-9a-f]{6}'] },
      { name: 'orders', kind: 'redact', patterns: ['ORD-[0-9]{4}', 'Order#[0-9]+'] },
      { name: 'detectors', kind: 'redact', detectors: [...DETECTOR_IDS], action: 'partial' },
      // No literal prefix (case-insensitive, RE2-only syntax) and a prefix starting with a digit or `:`.
      { name: 'no-prefix', kind: 'redact', patterns: ['(?i)se[c]ret\\s\\w+', '42[0-9]{2}', ':x[a-z]+'] },
    ],
  });
  const rules = file.rules.map((r) => compileRedactRule(r as never, ctx));
  for (const r of DEFAULT_PACK)
    rules.push(
      compileRedactRule({ ...RedactRuleSchema.parse({ ...r, name: 'default' }), name: r.name }, ctx),
    );
  return rules;
}

/** The scanner as compiled for the pipeline, and one that runs every finder on every string. */
function scannerPair() {
  const rules = allFinderRules();
  const active = new Uint8Array(rules.length).fill(1);
  const firedA = new Uint8Array(rules.length);
  const firedB = new Uint8Array(rules.length);
  const withPrescan = compileTextScanner(rules, active, firedA);
  const everyFinder = compileTextScanner(rules, active, firedB, { prescan: false });
  return (s: string) => {
    firedA.fill(0);
    firedB.fill(0);
    const a = withPrescan.scanString(s);
    const b = everyFinder.scanString(s);
    return { same: a === b && firedA.join() === firedB.join(), a, b };
  };
}

/** Every string under message, error and attributes of the realistic generator's events, and every key. */
function realisticStrings(records: number): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        out.push(k);
        walk(x);
      }
  };
  const normalizer = compileNormalizer();
  for (const p of generateKinesisPayloads({ seed: 7, records, eventsPerRecord: 100 })) {
    const d = decodeCwlData(p.gzip);
    if (d.kind !== 'data') throw new Error('generator payload did not decode');
    for (const e of normalizer.envelope(d.envelope)) {
      walk(e.message);
      walk(e.error);
      walk(e.attributes);
      walk([e.transaction?.id, e.trace?.id, e.service?.name, e.aws?.cloudwatch?.log_stream]);
    }
  }
  return out;
}

describe('pre-scan: the same spans as running every finder on every string', () => {
  const compare = scannerPair();
  const differences = (strings: Iterable<string>) => {
    const diffs: { s: string; a: string; b: string }[] = [];
    for (const s of strings) {
      const r = compare(s);
      if (!r.same && diffs.length < 5) diffs.push({ s, a: r.a, b: r.b });
    }
    return diffs;
  };

  it('on the realistic generator (5,000 events: every value and key)', () => {
    const strings = realisticStrings(50);
    expect(strings.length).toBeGreaterThan(100_000);
    expect(differences(strings)).toEqual([]);
  });

  it('on the adversarial set and on every 64-character window of it', () => {
    const lines = adversarialLines(4, 11);
    const windows = function* () {
      for (const l of lines) {
        yield l;
        for (let i = 0; i + 8 <= l.length; i += 7) yield l.slice(i, i + 64);
      }
    };
    expect(differences(windows())).toEqual([]);
  });

  it('on generated text made of detector fragments, secrets and non-ASCII', () => {
    const pieces = fc.oneof(
      text,
      fc.constantFrom(
        'SKU-12ab9f',
        'SKU-',
        'ORD-1234',
        'Order#77',
        'secret\tkey1',
        '4242',
        ':xyz',
        'sku-abcdef',
      ),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 6 }), (parts) => {
        const s = parts.join('');
        const r = compare(s);
        expect([s, r.a]).toEqual([s, r.b]);
        expect(r.same).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});
