import { describe, expect, it } from 'vitest';
import { createBatchMetrics, emptyCounts } from './metrics.js';

describe('createBatchMetrics', () => {
  it('writes one EMF line per batch with every count, the duration and the drop reasons', () => {
    const lines: string[] = [];
    const metrics = createBatchMetrics({
      namespace: 'SluiceTest',
      stage: 'sink',
      write: (l) => lines.push(l),
    });
    metrics.publish({
      ...emptyCounts(),
      received: 3,
      events: 10,
      indexed: 7,
      droppedByRule: 2,
      deadLettered: 1,
      durationMs: 42,
      dropReasons: { 'drop-health-checks': 2 },
    });
    expect(lines).toHaveLength(1);
    const emf = JSON.parse(lines[0]!);
    const directive = emf._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe('SluiceTest');
    expect(directive.Dimensions[0]).toEqual(expect.arrayContaining(['service', 'stage']));
    expect(directive.Metrics.map((m: { Name: string }) => m.Name)).toEqual(
      expect.arrayContaining([
        'received',
        'controlMessages',
        'droppedByRule',
        'redacted',
        'indexed',
        'duplicates',
        'deadLettered',
        'notDelivered',
        'durationMs',
      ]),
    );
    expect(emf).toMatchObject({ stage: 'sink', received: 3, indexed: 7, notDelivered: 0, durationMs: 42 });
    expect(JSON.parse(emf.dropReasons)).toEqual({ 'drop-health-checks': 2 });
  });

  it('starts every batch from zero', () => {
    const lines: string[] = [];
    const metrics = createBatchMetrics({ namespace: 'N', stage: 'transform', write: (l) => lines.push(l) });
    metrics.publish({ ...emptyCounts(), received: 5, durationMs: 1, dropReasons: {} });
    metrics.publish({ ...emptyCounts(), received: 1, durationMs: 1, dropReasons: {} });
    expect(JSON.parse(lines[1]!).received).toBe(1);
  });
});
