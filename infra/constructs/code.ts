import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LAMBDA_BUNDLE_OPTIONS } from '../../lambda/bundle.js';

/** The repository root (entries and the lock file are resolved from it). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const LAMBDA_BANNER = (LAMBDA_BUNDLE_OPTIONS.banner as { js: string }).js;

/** What every Sluice Lambda is built from. */
export interface SluiceFunctionSpec {
  /** Handler entry, relative to the repo root (e.g. `lambda/sink-handler.ts`); exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly runtime: 'nodejs22.x' | 'nodejs24.x';
  readonly memoryMb: number;
  /** Reserved concurrency (guaranteed and capped); absent: unreserved. */
  readonly reservedConcurrency?: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly vpc?: { vpc: ec2.IVpc; subnets: ec2.SubnetSelection; securityGroups: ec2.ISecurityGroup[] };
  /** Files copied next to the bundle: repo-relative source → file name in the bundle. */
  readonly extraFiles?: Readonly<Record<string, string>>;
}

/** Builds a Lambda function from a spec; the app bundles, unit tests use inline code. */
export type FunctionFactory = (scope: Construct, id: string, spec: SluiceFunctionSpec) => lambda.Function;

const runtimes = { 'nodejs22.x': lambda.Runtime.NODEJS_22_X, 'nodejs24.x': lambda.Runtime.NODEJS_24_X };

function common(spec: SluiceFunctionSpec) {
  return {
    description: spec.description,
    runtime: runtimes[spec.runtime],
    architecture: lambda.Architecture.ARM_64,
    memorySize: spec.memoryMb,
    ...(spec.reservedConcurrency !== undefined
      ? { reservedConcurrentExecutions: spec.reservedConcurrency }
      : {}),
    timeout: spec.timeout,
    environment: { NODE_OPTIONS: '--enable-source-maps', ...spec.environment },
    role: spec.role,
    logGroup: spec.logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    ...(spec.vpc
      ? { vpc: spec.vpc.vpc, vpcSubnets: spec.vpc.subnets, securityGroups: spec.vpc.securityGroups }
      : {}),
  };
}

/**
 * Bundles the entry with esbuild from npm (never Docker) into one ESM file for arm64 Node.
 * The AWS SDK is bundled too, so the deployed code runs the versions the tests ran.
 */
export const bundledFunction: FunctionFactory = (scope, id, spec) => {
  const copies = Object.entries(spec.extraFiles ?? {});
  return new nodejs.NodejsFunction(scope, id, {
    ...common(spec),
    entry: join(REPO_ROOT, spec.entry),
    handler: 'handler',
    projectRoot: REPO_ROOT,
    depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
    bundling: {
      forceDockerBundling: false,
      format: nodejs.OutputFormat.ESM,
      target: spec.runtime === 'nodejs24.x' ? 'node24' : 'node22',
      mainFields: ['module', 'main'],
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      externalModules: [],
      // CommonJS dependencies (pino, parts of the AWS SDK) expect require/__filename/__dirname
      // inside the ES module: the handlers' own banner (lambda/bundle.ts) provides them.
      banner: LAMBDA_BANNER,
      ...(copies.length > 0
        ? {
            commandHooks: {
              beforeBundling: () => [],
              beforeInstall: () => [],
              afterBundling: (inputDir: string, outputDir: string) =>
                copies.map(([from, to]) => `cp "${join(inputDir, from)}" "${join(outputDir, to)}"`),
            },
          }
        : {}),
    },
  });
};

/** Inline placeholder code: for template tests that must not pay for bundling. */
export const inlineFunction: FunctionFactory = (scope, id, spec) =>
  new lambda.Function(scope, id, {
    ...common(spec),
    handler: 'index.handler',
    code: lambda.Code.fromInline(
      `exports.handler = async () => { throw new Error('${spec.entry} not bundled'); };`,
    ),
  });
