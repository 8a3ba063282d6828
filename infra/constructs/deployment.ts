import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { Construct } from 'constructs';
import type { SluiceInfraConfig } from '../config/schema.js';
import { acknowledge } from '../nag.js';
import type { SluiceStage } from './functions.js';
import type { SluiceMonitoring } from './monitoring.js';
import type { PipelineStage } from './pipeline-metrics.js';

const STRATEGIES = {
  canary_10_percent_5_minutes: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  canary_10_percent_15_minutes: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_15MINUTES,
  linear_10_percent_every_1_minute: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
  all_at_once: codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE,
} as const;

/** Props of {@link SluiceDeployment}. */
export interface SluiceDeploymentProps {
  readonly config: SluiceInfraConfig;
  readonly stages: Readonly<Record<PipelineStage, SluiceStage>>;
  readonly monitoring: SluiceMonitoring;
}

/**
 * Safe change: each handler's `live` alias shifts to a new version through a CodeDeploy
 * deployment group (canary by default) that stops and rolls back when the stage's alarms fire.
 */
export class SluiceDeployment extends Construct {
  readonly groups: Record<PipelineStage, codedeploy.LambdaDeploymentGroup>;

  constructor(scope: Construct, id: string, props: SluiceDeploymentProps) {
    super(scope, id);
    const make = (stage: PipelineStage, gid: string) =>
      new codedeploy.LambdaDeploymentGroup(this, gid, {
        alias: props.stages[stage].alias,
        deploymentConfig: STRATEGIES[props.config.deployment.strategy],
        alarms: props.monitoring.deploymentAlarms[stage],
        autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
      });
    this.groups = { transform: make('transform', 'Transform'), sink: make('sink', 'Sink') };
    acknowledge(
      this,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]',
      'The AWS-maintained CodeDeploy role for Lambda, limited variant: shifts alias traffic and reads the alarms, nothing else.',
    );
  }
}
