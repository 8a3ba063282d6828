import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectorText } from '../../test/factories/detector-text.js';
import { F_ALL } from './detectors/features.js';
import { DETECTOR_IDS, DETECTORS } from './detectors.js';
import { DETECTOR_NEEDS, textFeatures } from './prescan.js';

const text = detectorText(24);

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
});
