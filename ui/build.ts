import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { UiAssets } from '../local/http/server.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/**
 * Bundles the trace explorer (preact + uPlot, TypeScript JSX) with esbuild in memory; no CDN, no
 * files written. Takes well under a second; `sluice start` does it at start.
 */
export async function buildUi(): Promise<UiAssets> {
  const result = await build({
    entryPoints: [here('./src/main.tsx')],
    bundle: true,
    minify: true,
    write: false,
    outdir: '/ui-out',
    format: 'esm',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  const html = await readFile(here('./index.html'), 'utf8');
  return { html, js, css };
}
