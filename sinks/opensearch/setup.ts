import type { Client } from '@opensearch-project/opensearch';
import { authHint } from './classify.js';
import type { OpenSearchSinkConfig } from './config.js';
import { OPENSEARCH_ERROR_CODES, OpenSearchSinkError } from './errors.js';
import { indexTemplate, ismPolicy, mappingsComponent, settingsComponent, setupNames } from './template.js';

/** What `setup` did. */
export interface SetupReport {
  readonly componentTemplates: readonly string[];
  readonly indexTemplate: string;
  /** `applied` (created or changed), `unchanged`, or `skipped` (the cluster has no ISM plugin). */
  readonly ism: 'applied' | 'unchanged' | 'skipped';
  readonly policy: string;
  /** Human-readable notes (e.g. why ISM was skipped). */
  readonly notices: readonly string[];
  /**
   * Data streams of this template whose write index was created without the `sluice_text` analyzer
   * (before the template had it) and that setup rolled over, so new events get it at once.
   */
  readonly rolledOver: readonly string[];
}

interface RawResponse {
  statusCode: number | null;
  body: unknown;
}

async function request(
  client: Client,
  method: string,
  path: string,
  body?: unknown,
  querystring?: Record<string, string | number>,
): Promise<RawResponse> {
  try {
    const res = await client.transport.request(
      { method, path, body: body as Record<string, unknown> | undefined, querystring },
      { ignore: [400, 404, 405, 409] },
    );
    return { statusCode: res.statusCode, body: res.body };
  } catch (err) {
    const status = (err as { statusCode?: unknown } | null)?.statusCode;
    if (status === 401 || status === 403) {
      throw new OpenSearchSinkError(
        OPENSEARCH_ERROR_CODES.unauthorized,
        `${method} ${path} was refused with HTTP ${status} (${authHint(err)}); the credentials need the permissions of the sluice_writer role`,
        { cause: err },
      );
    }
    throw err;
  }
}

function fail(step: string, res: RawResponse): never {
  const err = (res.body as { error?: { type?: string } | string } | null)?.error;
  const type = typeof err === 'string' ? err.slice(0, 200) : (err?.type ?? 'unknown error');
  throw new OpenSearchSinkError(
    OPENSEARCH_ERROR_CODES.setup,
    `${step} failed: HTTP ${res.statusCode} ${type}`,
  );
}

/** True when the answer means "this cluster has no such endpoint" (no ISM plugin). */
function noHandler(res: RawResponse): boolean {
  if (res.statusCode === 405) return true;
  const err = (res.body as { error?: unknown } | null)?.error;
  return res.statusCode === 400 && typeof err === 'string' && err.includes('no handler found');
}

/**
 * Installs (idempotently) the component templates, the composable index template and — when the
 * cluster has the Index State Management plugin (Amazon OpenSearch Service has it) — the ISM
 * policy. Without ISM (a bare local node, OpenSearch Serverless) the policy is skipped with a
 * notice: rollover and retention are then the operator's job.
 */
export async function setupOpenSearch(client: Client, cfg: OpenSearchSinkConfig): Promise<SetupReport> {
  const names = setupNames(cfg.index_prefix);
  const notices: string[] = [];
  for (const [name, body] of [
    [names.settings, settingsComponent(cfg)],
    [names.mappings, mappingsComponent()],
  ] as const) {
    const res = await request(client, 'PUT', `/_component_template/${name}`, body);
    if (res.statusCode !== 200) fail(`PUT _component_template/${name}`, res);
  }
  const tpl = await request(client, 'PUT', `/_index_template/${names.template}`, indexTemplate(cfg));
  if (tpl.statusCode !== 200) fail(`PUT _index_template/${names.template}`, tpl);

  const { policy, hash } = ismPolicy(cfg);
  const path = `/_plugins/_ism/policies/${names.policy}`;
  const current = await request(client, 'GET', path);
  let ism: SetupReport['ism'];
  if (noHandler(current)) {
    ism = 'skipped';
    notices.push(
      `ISM is not available on this cluster (no Index State Management plugin): policy ${names.policy} ` +
        `(rollover at ${cfg.rollover_min_size} or ${cfg.rollover_min_age}, delete after ${cfg.retention_days} days) was not applied.`,
    );
  } else if (current.statusCode === 200) {
    const found = current.body as {
      _seq_no?: number;
      _primary_term?: number;
      policy?: { description?: string };
    };
    if (found.policy?.description?.includes(hash)) {
      ism = 'unchanged';
    } else {
      const res = await request(
        client,
        'PUT',
        path,
        { policy },
        {
          if_seq_no: found._seq_no ?? 0,
          if_primary_term: found._primary_term ?? 0,
        },
      );
      if (res.statusCode !== 200 && res.statusCode !== 201) fail(`PUT ${path}`, res);
      ism = 'applied';
    }
  } else if (current.statusCode === 404) {
    const res = await request(client, 'PUT', path, { policy });
    if (res.statusCode !== 200 && res.statusCode !== 201) fail(`PUT ${path}`, res);
    ism = 'applied';
  } else {
    fail(`GET ${path}`, current);
  }
  const rolledOver = await rollOverOutdated(client, cfg.index_prefix, names.template, notices);
  return {
    componentTemplates: [names.settings, names.mappings],
    indexTemplate: names.template,
    ism,
    policy: names.policy,
    notices,
    rolledOver,
  };
}

/**
 * Rolls over each data stream of `template` whose write index lacks the `sluice_text` analyzer (it
 * was created by an older template): the new write index is built from the template just
 * installed, so new events are analysed as search expects at once instead of after the next ISM
 * rollover. Older backing indices keep their analyzer (docs/query.md says what that means for
 * search). A refused rollover (the credentials lack `indices:admin/rollover`) is a notice, not a
 * failure: the sink still writes.
 */
async function rollOverOutdated(
  client: Client,
  prefix: string,
  template: string,
  notices: string[],
): Promise<string[]> {
  const ds = await request(client, 'GET', `/_data_stream/${prefix}-*`);
  if (ds.statusCode === 404) return [];
  if (ds.statusCode !== 200) fail(`GET _data_stream/${prefix}-*`, ds);
  type Stream = { name?: string; template?: string; indices?: { index_name?: string }[] };
  const streams = ((ds.body as { data_streams?: Stream[] } | null)?.data_streams ?? []).filter(
    (d) => d.template === template && typeof d.name === 'string',
  );
  const rolled: string[] = [];
  for (const d of streams) {
    const write = d.indices?.at(-1)?.index_name;
    if (!write) continue;
    const settings = await request(client, 'GET', `/${encodeURIComponent(write)}/_settings/index.analysis*`);
    if (settings.statusCode === 404) continue; // rolled over or deleted meanwhile
    if (settings.statusCode !== 200) fail(`GET ${write}/_settings`, settings);
    type Settings = { settings?: { index?: { analysis?: { analyzer?: Record<string, unknown> } } } };
    const analyzers = (settings.body as Record<string, Settings> | null)?.[write]?.settings?.index?.analysis
      ?.analyzer;
    if (analyzers && Object.hasOwn(analyzers, 'sluice_text')) continue;
    const name = d.name as string;
    try {
      const res = await request(client, 'POST', `/${encodeURIComponent(name)}/_rollover`);
      if (res.statusCode !== 200) fail(`POST ${name}/_rollover`, res);
      rolled.push(name);
      notices.push(
        `data stream ${name}: its write index ${write} predates the sluice_text analyzer, so it was rolled over; new events are analysed for search at once, older backing indices keep the standard analyzer`,
      );
    } catch (err) {
      if (!(err instanceof OpenSearchSinkError) || err.code !== OPENSEARCH_ERROR_CODES.unauthorized)
        throw err;
      notices.push(
        `data stream ${name}: its write index ${write} predates the sluice_text analyzer, but the rollover was refused (${err.message}); new events get the analyzer at the next rollover`,
      );
    }
  }
  return rolled;
}
