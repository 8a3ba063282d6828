/**
 * The search-scale bench's traffic after the start rules, in the pipeline's output batches as the
 * store receives them: made once by the `dev/store-*.ts` measurements, outside their clocks.
 */
import { type FillOptions, fillStore } from '../bench/scale-data.js';
import { countDeliveries } from '../sinks/contract.js';
import type { LogEvent } from '../transform/schema.js';

/** Runs `fillStore` into a sink that keeps every batch (all indexed) and returns the batches. */
export async function scaleBatches(opts: FillOptions): Promise<LogEvent[][]> {
  const batches: LogEvent[][] = [];
  await fillStore(
    {
      async write(evs) {
        batches.push([...evs]);
        const results = evs.map(() => 'indexed' as const);
        return { results, counts: countDeliveries(results) };
      },
      async close() {},
    },
    opts,
  );
  return batches;
}
