import { samples as ecs } from './ecs.samples.js';
import type { FamilySample } from './family.js';
import { samples as serilog } from './serilog.samples.js';

/**
 * Every family's corpus of real upstream lines (test data: imported by tests only). Add a
 * family's `<family>.samples.ts` here.
 */
export const CORPUS: readonly { readonly family: string; readonly samples: readonly FamilySample[] }[] = [
  { family: 'serilog', samples: serilog },
  { family: 'ecs', samples: ecs },
];
