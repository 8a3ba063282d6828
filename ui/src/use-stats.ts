import { useEffect, useState } from 'preact/hooks';
import { api, type Stats } from './api.js';

/** The pipeline counters, fetched now and every 2 s (undefined until the first answer). */
export function useStats(): Stats | undefined {
  const [stats, setStats] = useState<Stats | undefined>();
  useEffect(() => {
    const tick = (): void => void api.stats().then(setStats, () => undefined);
    tick();
    const id = setInterval(tick, 2000);
    return () => clearInterval(id);
  }, []);
  return stats;
}
