import { z } from 'zod';

/**
 * Index settings and lifecycle of the data streams the sink writes, applied at deploy by the
 * same `setupOpenSearch` that `sluice opensearch setup` runs (templates and the ISM policy).
 * Ages count from a backing index's creation.
 */
export const IndicesSchema = z
  .strictObject({
    shards: z.int().min(1).max(64).default(1).describe('Primary shards of each backing index.'),
    replicas: z
      .int()
      .min(0)
      .max(5)
      .optional()
      .describe('Replicas of each backing index (default: 1 in production, 0 in dev).'),
    rollover_size_gb: z
      .int()
      .min(1)
      .max(500)
      .default(30)
      .describe('Hot: the write index rolls over at this primary size…'),
    rollover_age_days: z.int().min(1).max(365).default(1).describe('…or at this age.'),
    warm_after_days: z
      .int()
      .min(1)
      .optional()
      .describe('Warm: read-only, force-merged to one segment, lower recovery priority (none when unset).'),
    cold_after_days: z
      .int()
      .min(1)
      .optional()
      .describe('Cold: lowest recovery priority and cold_replicas replicas (none when unset).'),
    cold_replicas: z
      .int()
      .min(0)
      .max(5)
      .optional()
      .describe('Replicas in the cold state (default: keep the hot count).'),
    delete_after_days: z.int().min(1).max(3650).default(30).describe('Delete: a backing index this old.'),
  })
  .superRefine((c, ctx) => {
    const ages: [string, number | undefined][] = [
      ['warm_after_days', c.warm_after_days],
      ['cold_after_days', c.cold_after_days],
      ['delete_after_days', c.delete_after_days],
    ];
    const set = ages.filter((a): a is [string, number] => a[1] !== undefined);
    for (let i = 1; i < set.length; i++) {
      const [prevName, prev] = set[i - 1] as [string, number];
      const [name, age] = set[i] as [string, number];
      if (age <= prev) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `must be more than ${prevName} (${prev}): the phases run hot → warm → cold → delete`,
        });
      }
    }
    if (c.cold_replicas !== undefined && c.cold_after_days === undefined) {
      ctx.addIssue({ code: 'custom', path: ['cold_replicas'], message: 'needs cold_after_days' });
    }
  })
  .describe('Index settings and lifecycle (ISM) of the data streams.');

/**
 * The sink config keys (`sinks/opensearch/config.ts`) that `setupOpenSearch` installs from the
 * deployment's `indices`: the same object goes to the deploy-time setup and to the sink
 * (`SLUICE_INDEX_LIFECYCLE`), so the sink's own setup never rewrites what the deploy applied.
 */
export function indexLifecycle(
  indices: z.output<typeof IndicesSchema> & { replicas: number },
): Record<string, number | string> {
  return {
    shards: indices.shards,
    replicas: indices.replicas,
    rollover_min_size: `${indices.rollover_size_gb}gb`,
    rollover_min_age: `${indices.rollover_age_days}d`,
    retention_days: indices.delete_after_days,
    ...(indices.warm_after_days !== undefined ? { warm_after_days: indices.warm_after_days } : {}),
    ...(indices.cold_after_days !== undefined ? { cold_after_days: indices.cold_after_days } : {}),
    ...(indices.cold_replicas !== undefined ? { cold_replicas: indices.cold_replicas } : {}),
  };
}
