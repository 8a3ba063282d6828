import { describe, expect, it } from 'vitest';
import { RoleMappingPropsSchema, roleMappingRequests, WRITER_ROLE } from './mapping.js';

const props = {
  indexPattern: 'sluice-logs-*',
  writerRoleArns: ['arn:aws:iam::123456789012:role/sink'],
  adminRoleArns: ['arn:aws:iam::123456789012:role/mapper', 'arn:aws:iam::123456789012:role/Admin'],
};

describe('roleMappingRequests', () => {
  const requests = roleMappingRequests(props);

  it('limits the writer role to the Sluice index pattern', () => {
    const role = requests[0];
    expect(role?.path).toBe(`/_plugins/_security/api/roles/${WRITER_ROLE}`);
    expect(role?.body['index_permissions']).toEqual([
      expect.objectContaining({ index_patterns: ['sluice-logs-*', '.ds-sluice-logs-*'] }),
    ]);
    expect(JSON.stringify(role?.body)).not.toMatch(/"\*"|security|cluster_all|indices_all/);
  });

  it('maps the sink role to the writer and keeps the master among the admins', () => {
    expect(requests.slice(1).map((r) => [r.path.split('/').pop(), r.body['backend_roles']])).toEqual([
      [WRITER_ROLE, props.writerRoleArns],
      ['all_access', props.adminRoleArns],
      ['security_manager', props.adminRoleArns],
    ]);
  });

  it('rejects an index pattern that would reach other indices', () => {
    expect(RoleMappingPropsSchema.safeParse({ ...props, indexPattern: '*' }).success).toBe(false);
  });
});
