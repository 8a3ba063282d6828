// Service colours: each service on screen gets a different colour, the same one for the same set of
// services whatever order they come in, and — unless two services want the same slot — the same one
// in every view (a service's preferred slot comes from a hash of its name).

/** Ten colours that read apart on the dark background; none is the error red. */
export const PALETTE: readonly string[] = [
  '#60a5fa', // blue
  '#f472b6', // pink
  '#34d399', // green
  '#fbbf24', // amber
  '#a78bfa', // violet
  '#22d3ee', // cyan
  '#fb923c', // orange
  '#a3e635', // lime
  '#e879f9', // fuchsia
  '#cbd5e1', // slate
];

/** Histogram bars: opaque, so the error part stacked on top is not tinted by the bar below it. */
export const ERROR_FILL = '#f87171';
export const OTHER_FILL = '#3f78c4';

/** FNV-1a of the name: the preferred slot. */
function hash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The colour a service gets when nothing else on screen wants its slot. */
export const preferredColor = (name: string): string => PALETTE[hash(name) % PALETTE.length]!;

/**
 * Colours for a set of services, without collisions: in name order, each takes its preferred slot or
 * the next free one; past the palette, hues spaced by the golden angle (also never repeated).
 */
export function assignColors(names: Iterable<string>): Map<string, string> {
  const sorted = [...new Set(names)].sort();
  const out = new Map<string, string>();
  const used = new Set<number>();
  const usedHues = new Set<number>();
  for (const name of sorted) {
    const h = hash(name);
    if (used.size < PALETTE.length) {
      let slot = h % PALETTE.length;
      while (used.has(slot)) slot = (slot + 1) % PALETTE.length;
      used.add(slot);
      out.set(name, PALETTE[slot]!);
      continue;
    }
    let i = h % 360;
    let hue = Math.round((i * 137.508) % 360);
    while (usedHues.has(hue)) hue = Math.round((++i * 137.508) % 360);
    usedHues.add(hue);
    out.set(name, `hsl(${hue} 70% 66%)`);
  }
  return out;
}

// The assignment for what is on screen now, set by the explorer before it renders (`showServices`),
// read by every view through `colorOf` (facets, rows, trace lanes), so they agree.
let onScreen = new Map<string, string>();
let onScreenKey = '';

/** Sets the services on screen (cheap when the set did not change). */
export function showServices(names: Iterable<string>): void {
  const set = [...new Set(names)].sort();
  const key = set.join('\u0000');
  if (key === onScreenKey) return;
  onScreenKey = key;
  onScreen = assignColors(set);
}

/** A service's colour: its colour on screen, else its preferred one. */
export const colorOf = (name: string): string => onScreen.get(name) ?? preferredColor(name);
