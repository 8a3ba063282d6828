/** Runs `tasks` with at most `n` at once; resolves when all are done, rejects on the first failure. */
export async function pool(tasks: readonly (() => Promise<void>)[], n: number): Promise<void> {
  let next = 0;
  await pull(() => tasks[next++], Math.min(n, tasks.length));
}

/** Runs the tasks `next` hands out (until it returns `undefined`) with at most `n` at once. */
export async function pull(next: () => (() => Promise<void>) | undefined, n: number): Promise<void> {
  const worker = async (): Promise<void> => {
    for (let task = next(); task !== undefined; task = next()) await task();
  };
  await Promise.all(Array.from({ length: n }, worker));
}
