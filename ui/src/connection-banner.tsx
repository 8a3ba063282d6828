import type { Connection } from './connection.js';
import { dateTime } from './format.js';

/** The disconnected state: what happened, since when the screen is stale, and when it retries. */
export function ConnectionBanner({ conn }: { conn: Connection }) {
  if (conn.online) return null;
  const secs = conn.retryAt === undefined ? 0 : Math.max(0, Math.ceil((conn.retryAt - Date.now()) / 1000));
  return (
    <div class="conn-banner" role="alert" data-testid="disconnected">
      <span class="conn-dot" />
      <span>
        <b>Disconnected</b> — the sluice server is not answering (stopped?).{' '}
        {conn.statsAt ? `Counters and results are from ${dateTime(conn.statsAt)}; ` : ''}
        the live tail is paused. {secs > 0 ? `Retrying in ${secs} s…` : 'Retrying…'}
      </span>
      <button type="button" class="ghost" onClick={conn.retryNow}>
        Retry now
      </button>
    </div>
  );
}
