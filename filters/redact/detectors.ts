import type { Detector, Prechecked, SpanFinder } from './detectors/detector.js';
import { DETECTOR_LIST, type DetectorId } from './detectors/index.js';

/**
 * Built-in value detectors. Each finds the spans of secrets in a string and is one record in
 * `detectors/<name>.ts`, listed in `detectors/index.ts`; the tables here are derived from that
 * list. They are fast-pathed: a cheap pre-check (`indexOf` of a fixed substring, or one linear
 * scan) runs first, and only strings that pass it see a regex. Every regex is linear (bounded or
 * unambiguous quantifiers; `detectors.test.ts` proves it with `recheck`), and the scanners step
 * past what they have read, so a long string without matches costs one pass.
 */

type IdsOf<T extends readonly Detector[]> = { readonly [K in keyof T]: T[K]['id'] };

/** The ids of the built-in detectors, in list order (a tuple, for `z.enum`). */
export const DETECTOR_IDS = DETECTOR_LIST.map((d) => d.id) as unknown as IdsOf<typeof DETECTOR_LIST>;
export type { DetectorId };

function byId<T>(pick: (d: (typeof DETECTOR_LIST)[number]) => T): Readonly<Record<DetectorId, T>> {
  return Object.fromEntries(DETECTOR_LIST.map((d) => [d.id, pick(d)])) as Record<DetectorId, T>;
}

/** What each detector finds (used in the generated reference). */
export const DETECTOR_DESCRIPTIONS: Readonly<Record<DetectorId, string>> = byId((d) => d.description);

/** The span finder of each built-in detector. */
export const DETECTORS: Readonly<Record<DetectorId, SpanFinder>> = byId((d) => d.find);

/**
 * The shortest text each detector can match: shorter strings (most attribute values) skip it
 * without a call. A test checks each bound against the detector's smallest match.
 */
export const DETECTOR_MIN_LENGTH: Readonly<Record<DetectorId, number>> = byId((d) => d.minLength);

/**
 * Each pre-check with the regex it guards (for the property test that a pre-check never rejects
 * text its regex matches).
 */
export const PRECHECKED: readonly Prechecked[] = DETECTOR_LIST.flatMap((d: Detector) => d.prechecked ?? []);

/** The built-in regexes, for the ReDoS test. */
export const BUILT_IN_REGEXES: readonly RegExp[] = DETECTOR_LIST.flatMap((d: Detector) => d.regexes);
