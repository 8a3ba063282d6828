import { RemovalPolicy } from 'aws-cdk-lib';
import type { SluiceInfraConfig } from '../config/schema.js';

/**
 * The removal policy of everything that holds data or is needed to read it (domain and its FGAC
 * master role, dead-letter bucket and queues, access logs, the KMS key): config `removal`,
 * defaulted by the profile (production retains, dev destroys). The Kinesis streams are buffers
 * with fixed names and are always destroyed, so a redeploy under the same name never collides
 * with a retained one; log groups of the pipeline's own functions are destroyed too.
 */
export function removalPolicy(config: Pick<SluiceInfraConfig, 'removal'>): RemovalPolicy {
  return config.removal === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}
