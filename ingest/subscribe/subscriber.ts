import {
  type CloudWatchLogsClient,
  DeleteSubscriptionFilterCommand,
  DescribeSubscriptionFiltersCommand,
  PutSubscriptionFilterCommand,
  paginateDescribeLogGroups,
} from '@aws-sdk/client-cloudwatch-logs';
import type { SubscriberConfig } from './config.js';
import { compileLogGroupMatcher, type LogGroupMatcher } from './matcher.js';

/** What happened to one log group. */
export const SUBSCRIBE_RESULTS = [
  'subscribed',
  'unchanged',
  'unsubscribed',
  'skipped',
  'limit_exceeded',
  'not_found',
  'failed',
] as const;
/** One of {@link SUBSCRIBE_RESULTS}. */
export type SubscribeResult = (typeof SUBSCRIBE_RESULTS)[number];

/** The result for one log group; `error` carries the AWS error name and message only. */
export interface SubscribeOutcome {
  readonly logGroupName: string;
  readonly result: SubscribeResult;
  readonly reason?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Counts per result plus the groups that were not subscribed because of an error or a limit. */
export interface SubscribeReport {
  readonly counts: Record<SubscribeResult, number>;
  readonly problems: readonly SubscribeOutcome[];
}

/** Subscribes log groups to the pipeline's destination under one filter name. */
export interface Subscriber {
  /** Decides with the include/exclude globs, then subscribes (idempotent). */
  handle(logGroupName: string): Promise<SubscribeOutcome>;
  /** Lists existing groups (narrowed by the include globs' prefixes) and handles each. */
  subscribeExisting(o?: { signal?: AbortSignal }): Promise<SubscribeReport>;
  /** Removes Sluice's filter (only when it points at this destination) from every matching group. */
  unsubscribeExisting(o?: { signal?: AbortSignal }): Promise<SubscribeReport>;
}

/** Options of {@link createSubscriber}. */
export interface SubscriberOptions {
  readonly client: CloudWatchLogsClient;
  readonly config: SubscriberConfig;
  /** Groups handled at once by the bulk routines (PutSubscriptionFilter allows ~5 TPS). Default 4. */
  readonly concurrency?: number;
}

/** Builds a {@link Subscriber}; the globs are compiled once here. */
export function createSubscriber(o: SubscriberOptions): Subscriber {
  const { client, config } = o;
  const matcher: LogGroupMatcher = compileLogGroupMatcher(config);
  const concurrency = Math.max(1, o.concurrency ?? 4);

  async function currentFilter(logGroupName: string) {
    const out = await client.send(
      new DescribeSubscriptionFiltersCommand({ logGroupName, filterNamePrefix: config.filter_name }),
    );
    return out.subscriptionFilters?.find((f) => f.filterName === config.filter_name);
  }

  async function guarded(
    logGroupName: string,
    work: () => Promise<SubscribeOutcome>,
  ): Promise<SubscribeOutcome> {
    try {
      return await work();
    } catch (err) {
      const name = err instanceof Error ? err.name : 'Error';
      const message = err instanceof Error ? err.message : 'unknown error';
      if (name === 'ResourceNotFoundException') return { logGroupName, result: 'not_found' };
      if (name === 'LimitExceededException') {
        return {
          logGroupName,
          result: 'limit_exceeded',
          reason: 'the log group already has the maximum number of subscription filters',
        };
      }
      return { logGroupName, result: 'failed', error: { code: name, message } };
    }
  }

  function handle(logGroupName: string): Promise<SubscribeOutcome> {
    const decision = matcher.decide(logGroupName);
    if (!decision.subscribe) {
      return Promise.resolve({ logGroupName, result: 'skipped', reason: decision.reason });
    }
    return guarded(logGroupName, async () => {
      const existing = await currentFilter(logGroupName);
      if (
        existing?.destinationArn === config.destination_arn &&
        (existing.filterPattern ?? '') === config.filter_pattern &&
        (existing.roleArn ?? undefined) === config.role_arn
      ) {
        return { logGroupName, result: 'unchanged' };
      }
      await client.send(
        new PutSubscriptionFilterCommand({
          logGroupName,
          filterName: config.filter_name,
          filterPattern: config.filter_pattern,
          destinationArn: config.destination_arn,
          roleArn: config.role_arn,
        }),
      );
      return { logGroupName, result: 'subscribed' };
    });
  }

  function unsubscribe(logGroupName: string): Promise<SubscribeOutcome> {
    if (!matcher.decide(logGroupName).subscribe) return Promise.resolve({ logGroupName, result: 'skipped' });
    return guarded(logGroupName, async () => {
      const existing = await currentFilter(logGroupName);
      if (existing?.destinationArn !== config.destination_arn) return { logGroupName, result: 'unchanged' };
      await client.send(
        new DeleteSubscriptionFilterCommand({ logGroupName, filterName: config.filter_name }),
      );
      return { logGroupName, result: 'unsubscribed' };
    });
  }

  async function forEachGroup(
    work: (name: string) => Promise<SubscribeOutcome>,
    signal: AbortSignal | undefined,
  ): Promise<SubscribeReport> {
    const counts = Object.fromEntries(SUBSCRIBE_RESULTS.map((r) => [r, 0])) as Record<
      SubscribeResult,
      number
    >;
    const problems: SubscribeOutcome[] = [];
    const record = (out: SubscribeOutcome) => {
      counts[out.result]++;
      if (out.result === 'failed' || out.result === 'limit_exceeded') problems.push(out);
    };
    for (const prefix of matcher.listPrefixes) {
      const pages = paginateDescribeLogGroups(
        { client },
        prefix === '' ? {} : { logGroupNamePrefix: prefix },
      );
      for await (const page of pages) {
        signal?.throwIfAborted();
        const names = (page.logGroups ?? []).flatMap((g) => (g.logGroupName ? [g.logGroupName] : []));
        for (let i = 0; i < names.length; i += concurrency) {
          const batch = await Promise.all(names.slice(i, i + concurrency).map(work));
          batch.forEach(record);
        }
      }
    }
    return { counts, problems };
  }

  return {
    handle,
    subscribeExisting: (opts) => forEachGroup(handle, opts?.signal),
    unsubscribeExisting: (opts) => forEachGroup(unsubscribe, opts?.signal),
  };
}
