import { z } from 'zod';
import { type OpenSearchSinkConfig, parseSinkConfig } from '../../sinks/opensearch/config.js';

/** Name of the OpenSearch security role the sink is mapped to. */
export const WRITER_ROLE = 'sluice_writer';

/** Properties of the `Custom::SluiceOpenSearchRoleMapping` resource. */
export const RoleMappingPropsSchema = z.object({
  indexPattern: z.string().regex(/^[a-z][a-z0-9-]*-\*$/, 'expected an index pattern like sluice-logs-*'),
  writerRoleArns: z.array(z.string().startsWith('arn:')).min(1),
  adminRoleArns: z.array(z.string().startsWith('arn:')).min(1),
});
/** Parsed properties of the role mapping. */
export type RoleMappingProps = z.infer<typeof RoleMappingPropsSchema>;

/**
 * Properties of the `Custom::SluiceOpenSearchSetup` resource. CloudFormation hands every property
 * to the handler as a string, so the lifecycle's numbers are coerced back.
 */
const IndexSetupPropsSchema = z.object({
  indexPrefix: z.string().regex(/^[a-z][a-z0-9-]*$/),
  lifecycle: z.record(
    z.string(),
    z.union([z.string().regex(/^\d+$/).transform(Number), z.number(), z.string()]),
  ),
});

/** The sink config the deploy-time setup applies, from the resource's properties. */
export function indexSetupConfig(properties: unknown): OpenSearchSinkConfig {
  const props = IndexSetupPropsSchema.parse(properties);
  return parseSinkConfig({ index_prefix: props.indexPrefix, ...props.lifecycle });
}

/** One security API request (method, path, body). */
export interface SecurityRequest {
  readonly method: 'PUT';
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/**
 * The security API calls that give the sink exactly what it needs on `indexPattern` and its
 * data streams' backing indices (write, create, templates, retention policy; no security or
 * cluster settings) and map the admins —
 * the first of which is the FGAC master the calls run as — to `all_access` and `security_manager`.
 * Pure: the deploy-time handler sends these in order.
 */
export function roleMappingRequests(p: RoleMappingProps): SecurityRequest[] {
  const base = '/_plugins/_security/api';
  return [
    {
      method: 'PUT',
      path: `${base}/roles/${WRITER_ROLE}`,
      body: {
        description: 'Sluice sink: writes log events and manages its own templates and aliases',
        // What the sink's setup and bulk writes use (sinks/opensearch/setup.ts): component and
        // composable index templates, the ISM retention policy, data streams and their backing indices.
        cluster_permissions: [
          'cluster_monitor',
          'cluster_composite_ops',
          'indices:admin/index_template/get',
          'indices:admin/index_template/put',
          'cluster:admin/component_template/get',
          'cluster:admin/component_template/put',
          'cluster:admin/opendistro/ism/policy/get',
          'cluster:admin/opendistro/ism/policy/write',
        ],
        index_permissions: [
          {
            index_patterns: [p.indexPattern, `.ds-${p.indexPattern}`],
            allowed_actions: [
              'crud',
              'create_index',
              'indices:admin/data_stream/create',
              'indices:admin/data_stream/get',
              'indices:admin/mapping/put',
              // setup rolls a stream over whose write index predates the sluice_text analyzer
              'indices:admin/rollover',
              'indices_monitor',
            ],
          },
        ],
      },
    },
    { method: 'PUT', path: `${base}/rolesmapping/${WRITER_ROLE}`, body: { backend_roles: p.writerRoleArns } },
    { method: 'PUT', path: `${base}/rolesmapping/all_access`, body: { backend_roles: p.adminRoleArns } },
    {
      method: 'PUT',
      path: `${base}/rolesmapping/security_manager`,
      body: { backend_roles: p.adminRoleArns },
    },
  ];
}
