import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../test/factories/freeze.js';
import { validateRuleFile } from '../parse.js';
import { compileRules } from '../pipeline.js';
import { makeEvent } from '../sample-event.js';
import { luhn } from './cards.js';
import { DETECTOR_IDS } from './detectors.js';

/** Card numbers as the detector defines them: 13–19 digits, first digit 2–6, Luhn-valid. */
const cardNumber = fc
  .tuple(
    fc.integer({ min: 2, max: 6 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 17 }),
  )
  .map(([first, rest]) => {
    const body = `${first}${rest.join('')}`;
    for (let check = 0; check <= 9; check++) if (luhn(body + check)) return body + check;
    throw new Error('unreachable: one check digit always fits');
  });

/** A card written plain or in groups of four with spaces or dashes. */
const writtenCard = fc
  .tuple(cardNumber, fc.constantFrom('', ' ', '-'))
  .map(([digits, sep]) => ({ digits, text: sep ? (digits.match(/.{1,4}/g) ?? []).join(sep) : digits }));

/** Any text, and a delimiter that cannot extend a digit group. */
const text = fc.string({ maxLength: 40 });
const delimiter = fc.constantFrom(',', ':', '\n', '|', 'x', '"', '(', '/');

const defaultPack = compileRules(undefined);

function keptEvent(out: ReturnType<typeof defaultPack.process>) {
  if (out.kind !== 'keep') throw new Error(`expected keep, got ${out.kind}`);
  return out.event;
}

describe('redaction properties', () => {
  it('no Luhn-valid card number survives in text', () => {
    fc.assert(
      fc.property(text, delimiter, writtenCard, delimiter, text, (before, d1, card, d2, after) => {
        const message = `${before}${d1}${card.text}${d2}${after}`;
        const out = keptEvent(defaultPack.process(makeEvent({ message })));
        expect(out.message).not.toContain(card.text);
        expect(out.message).not.toContain(card.digits);
      }),
      { numRuns: 500 },
    );
  });

  it('no card number survives anywhere in attributes, as a string or a number', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'items', '0'), { minLength: 1, maxLength: 4 }),
        writtenCard,
        (keys, card) => {
          let value: unknown =
            Number(card.digits) <= Number.MAX_SAFE_INTEGER && card.text === card.digits
              ? Number(card.digits)
              : card.text;
          for (const k of [...keys].reverse()) value = { [k]: value };
          const out = keptEvent(
            defaultPack.process(makeEvent({ attributes: value as Record<string, unknown> })),
          );
          expect(JSON.stringify(out)).not.toContain(card.digits);
        },
      ),
      { numRuns: 300 },
    );
  });

  const secret = fc.oneof(
    fc.stringMatching(/^[A-Z0-9]{16}$/).map((s) => `AKIA${s}`),
    fc
      .tuple(
        fc.base64String({ minLength: 8, maxLength: 30 }),
        fc.base64String({ minLength: 8, maxLength: 30 }),
      )
      .map(([a, b]) => `eyJ${a.replace(/[+/=]/g, 'x')}.eyJ${b.replace(/[+/=]/g, 'x')}.sig`),
    fc.stringMatching(/^[a-z]{3,10}$/).map((u) => `${u}@example.org`),
  );

  it('output never contains a secret a detector finds', () => {
    const all = compileRules(
      validateRuleFile({
        default_pack: false,
        rules: [{ name: 'all', kind: 'redact', detectors: [...DETECTOR_IDS] }],
      }),
    );
    fc.assert(
      fc.property(text, secret, fc.constantFrom(' ', '\n', ',', ' = '), text, (before, s, sep, after) => {
        const out = keptEvent(
          all.process(makeEvent({ message: `${before}${sep}${s}${sep}${after}`, attributes: { v: [s] } })),
        );
        expect(JSON.stringify(out)).not.toContain(s);
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent: redacting a redacted event changes nothing more', () => {
    fc.assert(
      fc.property(text, writtenCard, secret, (t, card, s) => {
        const once = keptEvent(
          defaultPack.process(makeEvent({ message: `${t} ${card.text} ${s}`, attributes: { token: s, t } })),
        );
        const twice = keptEvent(defaultPack.process(once));
        expect(twice).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  it('never fails and never mutates on arbitrary JSON attributes', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })),
        fc.string(),
        (attributes, message) => {
          const event = deepFreeze(makeEvent({ attributes, message }));
          const before = JSON.stringify(event);
          const out = defaultPack.process(event);
          expect(out.kind).toBe('keep');
          expect(JSON.stringify(event)).toBe(before);
        },
      ),
      { numRuns: 300 },
    );
  });
});
