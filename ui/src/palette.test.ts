import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignColors, PALETTE, preferredColor } from './palette.js';

const DEMO = ['api-gateway', 'orders', 'payments', 'inventory', 'notifications'];

describe('assignColors', () => {
  it('gives every service on screen its own colour, whatever the number of services', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 40 }), (names) => {
        const colors = assignColors(names);
        expect(colors.size).toBe(names.length);
        expect(new Set(colors.values()).size).toBe(names.length);
      }),
    );
  });

  it('is deterministic and independent of the order services come in', () => {
    const a = assignColors(DEMO);
    const b = assignColors([...DEMO].reverse());
    expect([...b.entries()].sort()).toEqual([...a.entries()].sort());
  });

  it('separates two names that want the same slot', () => {
    // find two names with the same preferred colour
    const byColor = new Map<string, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const name = `svc-${i}`;
      const other = byColor.get(preferredColor(name));
      if (other) pair = [other, name];
      else byColor.set(preferredColor(name), name);
    }
    const colors = assignColors(pair);
    expect(colors.get(pair[0])).not.toBe(colors.get(pair[1]));
    const first = [...pair].sort()[0]!;
    expect(colors.get(first)).toBe(preferredColor(first)); // the first in name order keeps its own
  });

  it('keeps a service on its preferred colour when nothing else wants it', () => {
    for (const name of DEMO) expect(assignColors([name]).get(name)).toBe(preferredColor(name));
    expect(PALETTE).toContain(preferredColor('orders'));
  });
});
