import { describe, expect, it } from 'vitest';
import { runSluice } from '../../test/factories/cli.js';

describe('sluice dlq', () => {
  it('says how to replay failed batches in its help', async () => {
    const res = await runSluice(['dlq', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout + res.stderr).toContain('s3://bucket/aws/lambda/');
    expect(res.stdout + res.stderr).toContain('--failed-batches');
  });

  it('refuses --failed-batches for a source that is not s3:// (bad usage, exit 2)', async () => {
    const res = await runSluice(['dlq', 'replay', '--failed-batches', './letters.ndjson']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      "--failed-batches reads s3://bucket/prefix/ or an SQS queue URL, got './letters.ndjson'",
    );
  });
});
