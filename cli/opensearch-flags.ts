import type { Client } from '@opensearch-project/opensearch';
import { createOpenSearchClient } from '../sinks/opensearch/index.js';
import { type CommandIo, UsageError } from './command.js';

/** The OpenSearch options commands share: `--node`, `--aws-region`, `--service`. */
export interface OpenSearchFlags {
  readonly node?: string | undefined;
  readonly 'aws-region'?: string | undefined;
  readonly service?: string | undefined;
}

/** `parseArgs` options of {@link OpenSearchFlags}. */
export const OPENSEARCH_OPTIONS = {
  node: { type: 'string' },
  'aws-region': { type: 'string' },
  service: { type: 'string' },
} as const;

/** Help lines of {@link OpenSearchFlags}. */
export const OPENSEARCH_HELP = [
  '  --node URL           OpenSearch endpoint (default $SLUICE_OPENSEARCH_ENDPOINT, else http://127.0.0.1:9201)',
  '  --aws-region REGION  sign requests with SigV4 (default credential chain); default $AWS_REGION when',
  '                       the node is an *.amazonaws.com endpoint',
  '  --service es|aoss    Amazon OpenSearch Service (es, default) or Serverless (aoss)',
];

/**
 * The OpenSearch client of a command's flags. Requests to an `*.amazonaws.com` node are signed
 * with SigV4 in `$AWS_REGION` unless `--aws-region` names another; any other node is unsigned.
 */
export function openSearchClientFromFlags(
  v: OpenSearchFlags,
  io: Pick<CommandIo, 'env'>,
): { node: string; client: Client } {
  const service = v.service ?? 'es';
  if (service !== 'es' && service !== 'aoss')
    throw new UsageError(`--service must be es or aoss, got '${service}'`);
  const node = v.node ?? io.env['SLUICE_OPENSEARCH_ENDPOINT'] ?? 'http://127.0.0.1:9201';
  let hostname: string;
  try {
    hostname = new URL(node).hostname;
  } catch {
    throw new UsageError(
      `--node must be a URL such as https://search-x.eu-west-1.es.amazonaws.com, got '${node}'`,
    );
  }
  const region = v['aws-region'] ?? (hostname.endsWith('.amazonaws.com') ? io.env['AWS_REGION'] : undefined);
  return { node, client: createOpenSearchClient({ node, aws: region ? { region, service } : undefined }) };
}
