#!/usr/bin/env node
// Entry point of the `tagbase` command: runs the sources as compiled into dist/ when that build
// is current, otherwise loads the TypeScript sources through tsx (see compiled.js).
import { compiledEntry } from './compiled.js';

const compiled = compiledEntry();
if (compiled === undefined) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = await import(compiled ?? '../src/cli/main.ts');
await main(process.argv);
