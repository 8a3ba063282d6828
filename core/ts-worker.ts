import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The `eval` code of a worker thread whose module is TypeScript (`new Worker(code, { eval: true })`):
 * tsx's loader is registered in the thread first, then `entry` (a `file:` URL, e.g.
 * `new URL('./x-thread.ts', import.meta.url)`) is imported. Paths are resolved here, so it works
 * from any cwd, under `tsx` and under `bin/sluice.js` alike.
 */
export function tsWorkerCode(entry: URL): string {
  const tsx = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  return `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
}
