import { describe, expect, it } from 'vitest';
import { eventPathProblem } from './event-paths.js';
import { validateRuleFile } from './parse.js';

describe('event paths', () => {
  it.each([
    'message',
    '@timestamp',
    'log.level',
    'aws.cloudwatch.log_group',
    'lambda.report.duration_ms',
    'redaction.rules',
    'attributes.anything.at.all',
    'error.*',
    'attributes.**',
    '**.password',
    '*',
  ])('accepts %s', (path) => expect(eventPathProblem(path)).toBeUndefined());

  it.each([
    ['servce.name', "'servce.name' (did you mean service.name?)"],
    ['error.stack', "'error.stack' (did you mean error.stack_trace?)"],
    ['transacton.id', "'transacton.id' (did you mean transaction.id?)"],
    ['message.length', "'message.length'"],
    ['message.*', "'message' (it has no fields below it for a wildcard to match)"],
    ['user.email', "'user.email'"],
    ['attributes', undefined],
  ])('%s → %s', (path, problem) => expect(eventPathProblem(path)).toBe(problem));

  it('makes a redact field the schema does not have a parse error with line and suggestion', () => {
    expect(() =>
      validateRuleFile({ rules: [{ name: 'r', kind: 'redact', fields: ['error.stack'] }] }),
    ).toThrow(/rules\[0\]\.fields\[0\].*not 'error\.stack' \(did you mean error\.stack_trace\?\)/);
  });
});
