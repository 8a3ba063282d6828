import type { LogEvent } from '../../transform/schema.js';
import type { Predicate } from '../condition/compile.js';
import { getPath } from '../path.js';

const ALWAYS_KEPT = new Set(['warn', 'error', 'fatal']);

/** FNV-1a (32 bit) of `s`, scaled to [0, 1). Pure and identical in every process. */
export function unitHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche (murmur3 fmix32) so that similar keys spread evenly.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/**
 * The sample runtime: keeps an event when `unitHash(salt + key) < keepRatio`, where the key is
 * the value at `keySegments` (else `event.id`). Events at warn and above, and events `when`
 * does not match, are always kept. The salt (the rule name) makes two sample rules independent.
 */
export function sampleBy(
  salt: string,
  keySegments: readonly string[],
  keepRatio: number,
  when: Predicate | undefined,
): (event: LogEvent) => LogEvent | null {
  return (event) => {
    if (ALWAYS_KEPT.has(event.log?.level) || (when && !when(event))) return event;
    const v = getPath(event, keySegments);
    const key = typeof v === 'string' || typeof v === 'number' ? String(v) : event.event?.id;
    return unitHash(`${salt}\u0000${key}`) < keepRatio ? event : null;
  };
}
