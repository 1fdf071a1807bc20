// Starts a worker thread on a TypeScript module: the thread does not inherit its parent's
// loader, so it registers tsx itself before importing the module named in its data.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
