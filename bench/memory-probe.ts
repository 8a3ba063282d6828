/**
 * One Lambda invocation in a process of its own, for the `lambda-memory` suite. Bundled by the
 * suite with esbuild and run as `node --trace-gc probe.mjs HANDLER.mjs WARMUP.json EVENT.json`:
 * imports the handler bundle (its cold start), invokes it once with a small warm-up event (the
 * sink installs its templates on the first write), then once with the measured event, read and
 * parsed from a file as the Lambda runtime reads an invocation. Prints one `MEMLAT {...}` line:
 * RSS after the warm-up, the process's peak RSS (`process.resourceUsage().maxRSS`, the kernel's
 * high-water mark, which Lambda's "Max Memory Used" also is), heap and external memory after the
 * invocation, and the handler's answer. The suite reads the heap's peak from the `--trace-gc` lines.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface Handler {
  handler(event: unknown, context: unknown): Promise<unknown>;
}

const [bundle, warmupFile, eventFile] = process.argv.slice(2);
if (!bundle || !warmupFile || !eventFile)
  throw new TypeError('usage: probe HANDLER.mjs WARMUP.json EVENT.json');
const context = { getRemainingTimeInMillis: () => 900_000 };
const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

const { handler } = (await import(pathToFileURL(bundle).href)) as Handler;
const warm = await handler(JSON.parse(readFileSync(warmupFile, 'utf8')), context);
const afterWarmup = process.memoryUsage();
// The event text and its parse are part of the invocation's memory, as in the Lambda runtime.
const event: unknown = JSON.parse(readFileSync(eventFile, 'utf8'));
const started = performance.now();
const result = await handler(event, context);
const ms = performance.now() - started;
const after = process.memoryUsage();
process.stdout.write(
  `MEMLAT ${JSON.stringify({
    warmup: warm,
    result,
    ms: Math.round(ms),
    rssAfterWarmupMb: mb(afterWarmup.rss),
    maxRssMb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
    heapAfterMb: mb(after.heapUsed),
    externalAfterMb: mb(after.external),
  })}\n`,
);
