import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { bundledFunction } from './code.js';
import { HANDLER_ENTRIES } from './functions.js';

describe('bundledFunction', { timeout: 120_000 }, () => {
  it.each(Object.entries(HANDLER_ENTRIES))(
    'builds %s from its entry as an arm64 ESM bundle without Docker (bundling skipped in this test)',
    (_stage, entry) => {
      // `aws:cdk:bundling-stacks: []` keeps the test cheap: the construct is fully configured, but
      // esbuild does not run (the real bundling is exercised by `npx cdk synth`).
      const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
      const stack = new Stack(app, 'CodeTest');
      const fn = bundledFunction(stack, 'Fn', {
        entry,
        description: 'test',
        runtime: 'nodejs22.x',
        memoryMb: 256,
        timeout: Duration.seconds(30),
        environment: { SLUICE_LOG_LEVEL: 'info' },
        role: new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }),
        logGroup: new logs.LogGroup(stack, 'Logs'),
      });
      expect(fn.node.tryGetContext('aws:cdk:bundling-stacks')).toEqual([]);
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 256,
        Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', SLUICE_LOG_LEVEL: 'info' } },
      });
    },
  );

  it('refuses an entry that does not exist', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Missing');
    expect(() =>
      bundledFunction(stack, 'Fn', {
        entry: 'lambda/no-such-handler.ts',
        description: 'test',
        runtime: 'nodejs22.x',
        memoryMb: 128,
        timeout: Duration.seconds(3),
        environment: {},
        role: new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }),
        logGroup: new logs.LogGroup(stack, 'Logs'),
      }),
    ).toThrow(/no-such-handler/);
  });
});
