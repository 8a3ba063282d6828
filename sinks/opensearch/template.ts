import { createHash } from 'node:crypto';
import type { OpenSearchSinkConfig } from './config.js';
import { QUARANTINE_FIELDS_KEY, QUARANTINE_KEY } from './heal.js';

const keyword = { type: 'keyword', ignore_above: 1024 } as const;
const date = { type: 'date', format: 'strict_date_optional_time||epoch_millis' } as const;
/** Searchable text, tokenized as the embedded store's FTS5 `unicode61` does (see {@link TEXT_ANALYSIS}). */
const text = { type: 'text', analyzer: 'sluice_text' } as const;

/** Longest token `sluice_text` keeps (characters); `search/opensearch-query.ts` cuts query tokens alike. */
export const MAX_TOKEN_CHARS = 255;

/**
 * The `sluice_text` analyzer: tokens are runs of letters and digits, lower-cased, accents removed —
 * the tokens of SQLite FTS5's `unicode61`, so a text query finds the same events on both backends
 * (`search/opensearch-query.ts`).
 */
export const TEXT_ANALYSIS = {
  analyzer: {
    sluice_text: {
      type: 'custom',
      tokenizer: 'sluice_words',
      filter: ['lowercase', 'asciifolding', 'sluice_token_cap'],
    },
  },
  // A run of letters (a base64 blob) is one token; past Lucene's 32 KB term limit the whole
  // document would be refused, so tokens keep their first 255 characters (queries cut theirs too).
  filter: { sluice_token_cap: { type: 'truncate', length: MAX_TOKEN_CHARS } },
  tokenizer: { sluice_words: { type: 'pattern', pattern: '[^\\p{L}\\p{N}]+' } },
} as const;

/**
 * Mappings of the event schema (`transform/schema.ts`): typed core fields, `attributes` as
 * `flat_object` (any keys, no mapping explosion, no clash between services), REPORT figures
 * numeric, `quarantine` kept but not indexed. Unknown top-level fields are refused (`strict`),
 * which the sink heals by moving them to `quarantine`.
 */
export function eventMappings(): Record<string, unknown> {
  return {
    dynamic: 'strict',
    properties: {
      '@timestamp': date,
      message: text,
      log: {
        properties: { level: keyword, format: keyword, logger: keyword, truncated: { type: 'boolean' } },
      },
      service: { properties: { name: keyword } },
      transaction: { properties: { id: keyword } },
      trace: { properties: { id: keyword } },
      span: { properties: { id: keyword } },
      event: { properties: { id: keyword, ingested: date } },
      aws: { properties: { cloudwatch: { properties: { log_group: keyword, log_stream: keyword } } } },
      cloud: { properties: { account: { properties: { id: keyword } }, region: keyword } },
      faas: { properties: { execution: keyword, name: keyword, coldstart: { type: 'boolean' } } },
      error: {
        properties: { type: { ...keyword, fields: { text } }, message: text, stack_trace: text },
      },
      lambda: {
        properties: {
          platform: keyword,
          version: keyword,
          report: {
            properties: {
              duration_ms: { type: 'double' },
              billed_duration_ms: { type: 'double' },
              memory_size_mb: { type: 'integer' },
              max_memory_used_mb: { type: 'integer' },
              init_duration_ms: { type: 'double' },
            },
          },
        },
      },
      redaction: { properties: { rules: keyword } },
      route: keyword,
      attributes: { type: 'flat_object' },
      [QUARANTINE_KEY]: { type: 'object', enabled: false },
      [QUARANTINE_FIELDS_KEY]: keyword,
    },
  };
}

/** Names of everything `setup` installs for a prefix. */
export function setupNames(prefix: string): {
  mappings: string;
  settings: string;
  template: string;
  policy: string;
} {
  return {
    mappings: `${prefix}-mappings`,
    settings: `${prefix}-settings`,
    template: `${prefix}-template`,
    policy: `${prefix}-policy`,
  };
}

/** The component template with the index settings. */
export function settingsComponent(cfg: OpenSearchSinkConfig): Record<string, unknown> {
  return {
    template: {
      settings: {
        'index.number_of_shards': cfg.shards,
        'index.number_of_replicas': cfg.replicas,
        'index.refresh_interval': cfg.refresh_interval,
        'index.mapping.depth.limit': 20,
      },
    },
    _meta: { managed_by: 'sluice' },
  };
}

/** The component template with the mappings. */
export function mappingsComponent(): Record<string, unknown> {
  return {
    template: { settings: { analysis: TEXT_ANALYSIS }, mappings: eventMappings() },
    _meta: { managed_by: 'sluice' },
  };
}

/**
 * The composable index template: every `<prefix>-*` name becomes a data stream built from the two
 * component templates. Priority grows with the prefix length, so a longer (more specific) prefix
 * wins over `sluice-logs-*` instead of clashing with it.
 */
export function indexTemplate(cfg: OpenSearchSinkConfig): Record<string, unknown> {
  const names = setupNames(cfg.index_prefix);
  return {
    index_patterns: [`${cfg.index_prefix}-*`],
    data_stream: {},
    composed_of: [names.settings, names.mappings],
    priority: 100 + cfg.index_prefix.length,
    _meta: { managed_by: 'sluice' },
  };
}

/** The ISM states after `hot`: optional warm and cold phases, then delete. */
function laterStates(cfg: OpenSearchSinkConfig): { name: string; age: number; actions: unknown[] }[] {
  const states: { name: string; age: number; actions: unknown[] }[] = [];
  if (cfg.warm_after_days !== undefined) {
    states.push({
      name: 'warm',
      age: cfg.warm_after_days,
      actions: [
        { read_only: {} },
        { force_merge: { max_num_segments: 1 } },
        { index_priority: { priority: 50 } },
      ],
    });
  }
  if (cfg.cold_after_days !== undefined) {
    states.push({
      name: 'cold',
      age: cfg.cold_after_days,
      actions: [
        ...(cfg.warm_after_days === undefined ? [{ read_only: {} }] : []),
        { index_priority: { priority: 0 } },
        ...(cfg.cold_replicas !== undefined
          ? [{ replica_count: { number_of_replicas: cfg.cold_replicas } }]
          : []),
      ],
    });
  }
  states.push({ name: 'delete', age: cfg.retention_days, actions: [{ delete: {} }] });
  return states;
}

/**
 * The ISM policy: hot (the write index rolls over at `rollover_min_size` or `rollover_min_age`),
 * then — when configured — warm (read-only, force-merged) and cold (lowest priority, fewer
 * replicas), and delete `retention_days` after a backing index was created. Attached
 * automatically to new backing indices (`.ds-<prefix>-*`) through `ism_template`. Its description
 * carries a hash of its content, so `setup` only rewrites it when it changed.
 */
export function ismPolicy(cfg: OpenSearchSinkConfig): { policy: Record<string, unknown>; hash: string } {
  const later = laterStates(cfg);
  const transition = (i: number) => {
    const next = later[i];
    return next ? [{ state_name: next.name, conditions: { min_index_age: `${next.age}d` } }] : [];
  };
  const body = {
    default_state: 'hot',
    states: [
      {
        name: 'hot',
        actions: [{ rollover: { min_size: cfg.rollover_min_size, min_index_age: cfg.rollover_min_age } }],
        transitions: transition(0),
      },
      ...later.map((s, i) => ({ name: s.name, actions: s.actions, transitions: transition(i + 1) })),
    ],
    ism_template: [
      { index_patterns: [`.ds-${cfg.index_prefix}-*`], priority: 100 + cfg.index_prefix.length },
    ],
  };
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16);
  return { policy: { description: `Sluice log retention (sluice-config ${hash})`, ...body }, hash };
}
