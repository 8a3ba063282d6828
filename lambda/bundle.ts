import type { BuildOptions } from 'esbuild';

/**
 * esbuild options that turn a handler module into one ESM file Lambda (Node 20) can run.
 * The banner gives CommonJS dependencies (pino, synckit under recheck, parts of the AWS SDK)
 * the `require`, `__filename` and `__dirname` they expect inside an ES module; `module`
 * entry points are preferred so the AWS SDK comes in as ESM.
 */
export const LAMBDA_BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: false,
  banner: {
    js: [
      "import { createRequire as __sluiceRequire } from 'node:module';",
      "import { fileURLToPath as __sluiceFileUrl } from 'node:url';",
      "import { dirname as __sluiceDirname } from 'node:path';",
      'const require = __sluiceRequire(import.meta.url);',
      'const __filename = __sluiceFileUrl(import.meta.url);',
      'const __dirname = __sluiceDirname(__filename);',
    ].join(' '),
  },
};

/** The two handler entry points, relative to the repository root. */
export const LAMBDA_ENTRIES = {
  transform: 'lambda/transform-handler.ts',
  sink: 'lambda/sink-handler.ts',
} as const;
