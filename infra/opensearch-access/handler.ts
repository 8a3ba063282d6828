/**
 * Deploy-time custom resource (CDK `Provider` onEvent) that maps the sink and admin roles in
 * OpenSearch fine-grained access control. It runs as the domain's FGAC master role and signs
 * with SigV4. Delete leaves the mappings (the domain may be retained).
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { type RoleMappingProps, RoleMappingPropsSchema, roleMappingRequests } from './mapping.js';

/**
 * Sends the security API calls of {@link roleMappingRequests} in order through `client` (in the
 * deploy, signed as the FGAC master role); a refused call throws the client's ResponseError.
 */
export async function applyRoleMapping(client: Client, props: RoleMappingProps): Promise<void> {
  for (const req of roleMappingRequests(props)) {
    await client.transport.request({ method: req.method, path: req.path, body: req.body });
  }
}

/** Lambda entry point. */
export async function handler(
  event: CloudFormationCustomResourceEvent,
): Promise<{ PhysicalResourceId: string; Data?: Record<string, string> }> {
  const physicalId = 'sluice-opensearch-role-mapping';
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalId };
  const props = RoleMappingPropsSchema.parse(event.ResourceProperties);
  const node = process.env['SLUICE_OPENSEARCH_ENDPOINT'];
  const region = process.env['AWS_REGION'];
  if (!node || !region) throw new Error('SLUICE_OPENSEARCH_ENDPOINT and AWS_REGION must be set');
  const client = new Client({
    ...AwsSigv4Signer({ region, service: 'es', getCredentials: () => defaultProvider()() }),
    node,
  });
  await applyRoleMapping(client, props);
  return { PhysicalResourceId: physicalId, Data: { writerRole: 'sluice_writer' } };
}
