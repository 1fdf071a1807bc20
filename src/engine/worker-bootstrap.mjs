// Starts a worker thread on a module that may be TypeScript: the thread does not inherit its
// parent's loader, so it registers tsx itself before importing a .ts module named in its data
// (the compiled command's .js module needs none).
import { workerData } from 'node:worker_threads';

if (workerData.module.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.module);
