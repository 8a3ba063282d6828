#!/usr/bin/env node
// Entry point of the `sluice` command: loads the TypeScript sources through tsx's loader.
import { register } from 'tsx/esm/api';

register();
// A reader that goes away (`sluice search … | head`) ends the output quietly, as for cat or grep,
// instead of crashing with an unhandled EPIPE.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
