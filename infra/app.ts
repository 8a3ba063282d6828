/**
 * The Sluice CDK app (`npx cdk synth|deploy`, see cdk.json and docs/deploy.md). The config file
 * comes from `-c config=PATH`, else `SLUICE_CONFIG`, else `infra/config/example.yaml`.
 */
import { resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { InfraConfigError } from './config/errors.js';
import { loadInfraConfig } from './config/load.js';
import { bundledFunction } from './constructs/code.js';
import { SluiceStack } from './stack.js';

const app = new App();
const configPath = String(
  app.node.tryGetContext('config') ?? process.env['SLUICE_CONFIG'] ?? 'infra/config/example.yaml',
);
try {
  const config = loadInfraConfig(resolve(configPath));
  const account = process.env['CDK_DEFAULT_ACCOUNT'];
  const region = process.env['CDK_DEFAULT_REGION'];
  new SluiceStack(app, config.name, {
    config,
    makeFunction: bundledFunction,
    ...(account && region ? { env: { account, region } } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  app.synth();
} catch (err) {
  if (err instanceof InfraConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
