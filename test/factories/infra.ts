import { App } from 'aws-cdk-lib';
import {
  type SluiceInfraConfig,
  type SluiceInfraConfigInput,
  SluiceInfraConfigSchema,
} from '../../infra/config/schema.js';
import { inlineFunction } from '../../infra/constructs/code.js';
import { SluiceStack } from '../../infra/stack.js';

/** A minimal valid config (an owned domain) with overrides. */
export function testConfig(overrides: Partial<SluiceInfraConfigInput> = {}): SluiceInfraConfig {
  return SluiceInfraConfigSchema.parse({
    opensearch: { mode: 'domain', admin_role_arns: ['arn:aws:iam::123456789012:role/Admin'] },
    subscription: {
      include: ['/aws/lambda/*'],
      log_groups: ['/aws/lambda/legacy'],
      member_account_ids: ['210987654321'],
    },
    monitoring: { alarm_email: 'oncall@example.com' },
    ...overrides,
  });
}

/** Builds the stack with inline code (no bundling) in a fresh app. */
export function buildStack(config: SluiceInfraConfig = testConfig(), app = new App()): SluiceStack {
  return new SluiceStack(app, 'SluiceTest', {
    config,
    makeFunction: inlineFunction,
    env: { account: '123456789012', region: 'us-east-1' },
  });
}
