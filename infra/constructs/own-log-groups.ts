import { CfnResource, type IResolvable, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

/**
 * Names of every log group the stack writes to, found by walking the synthesized tree (call it
 * lazily, at synthesis): each `AWS::Logs::LogGroup` (the handlers', the providers', the domain's
 * slow/app/audit logs, VPC flow logs) and `/aws/lambda/<name>` of each function that has no log
 * group of its own (CDK singletons such as AwsCustomResource and auto-delete providers). None may
 * be subscribed to the pipeline: its own logs would feed back into it.
 */
export function pipelineLogGroupNames(scope: IConstruct): string[] {
  const names: string[] = [];
  for (const c of Stack.of(scope).node.findAll()) {
    if (c instanceof logs.CfnLogGroup) names.push(c.ref);
    else if (c instanceof lambda.CfnFunction) {
      const config = c.loggingConfig as lambda.CfnFunction.LoggingConfigProperty | IResolvable | undefined;
      const own = config && 'logGroup' in config && config.logGroup !== undefined;
      if (!own) names.push(`/aws/lambda/${c.ref}`);
    } else if (CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Lambda::Function') {
      names.push(`/aws/lambda/${c.ref}`);
    }
  }
  return names;
}
