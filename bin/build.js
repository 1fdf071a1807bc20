#!/usr/bin/env node
// `npm run build` (also run by `npm install`): compiles src/ into dist/ for the `tagbase` command.
import { compile } from './compiled.js';

const started = performance.now();
const files = await compile();
console.log(`compiled ${files} source files into dist/ in ${Math.round(performance.now() - started)} ms`);
