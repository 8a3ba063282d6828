/**
 * Deploy-time custom resources (CDK `Provider` onEvent) of an owned domain, run as the domain's
 * FGAC master role with SigV4:
 * - `Custom::SluiceOpenSearchRoleMapping` maps the sink and admin roles in fine-grained access control;
 * - `Custom::SluiceOpenSearchSetup` installs the index templates and the ISM lifecycle with
 *   `setupOpenSearch`, the code `sluice opensearch setup` and the sink run.
 * Delete leaves both in place (the domain may be retained).
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { setupOpenSearch } from '../../sinks/opensearch/setup.js';
import {
  indexSetupConfig,
  type RoleMappingProps,
  RoleMappingPropsSchema,
  roleMappingRequests,
} from './mapping.js';

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
  const setup = event.ResourceType === 'Custom::SluiceOpenSearchSetup';
  const physicalId = setup ? 'sluice-opensearch-setup' : 'sluice-opensearch-role-mapping';
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalId };
  const node = process.env['SLUICE_OPENSEARCH_ENDPOINT'];
  const region = process.env['AWS_REGION'];
  if (!node || !region) throw new Error('SLUICE_OPENSEARCH_ENDPOINT and AWS_REGION must be set');
  const client = new Client({
    ...AwsSigv4Signer({ region, service: 'es', getCredentials: () => defaultProvider()() }),
    node,
  });
  if (setup) {
    const report = await setupOpenSearch(client, indexSetupConfig(event.ResourceProperties));
    return { PhysicalResourceId: physicalId, Data: { policy: report.policy, ism: report.ism } };
  }
  await applyRoleMapping(client, RoleMappingPropsSchema.parse(event.ResourceProperties));
  return { PhysicalResourceId: physicalId, Data: { writerRole: 'sluice_writer' } };
}
