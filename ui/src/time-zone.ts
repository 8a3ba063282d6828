import { useState } from 'preact/hooks';
import type { TimeZoneMode } from './time-range.js';

const KEY = 'sluice.timeZone';

function stored(): TimeZoneMode {
  try {
    return globalThis.localStorage?.getItem(KEY) === 'utc' ? 'utc' : 'local';
  } catch {
    return 'local'; // storage refused (privacy mode): local time, not persisted
  }
}

// The display zone is a preference of the whole screen, like the locale: every time on it (rows,
// histogram, trace, picker) is formatted in it, so it is kept here rather than threaded through props.
let current: TimeZoneMode = stored();

/** The zone times are shown in (`local` until the user picks UTC; persisted in localStorage). */
export const displayZone = (): TimeZoneMode => current;

/** The display zone and a setter that persists it; the component re-renders with the new zone. */
export function useDisplayZone(): [TimeZoneMode, (z: TimeZoneMode) => void] {
  const [zone, setZone] = useState<TimeZoneMode>(current);
  const set = (z: TimeZoneMode): void => {
    current = z;
    try {
      globalThis.localStorage?.setItem(KEY, z);
    } catch {
      // not persisted; still applied
    }
    setZone(z);
  };
  return [zone, set];
}
