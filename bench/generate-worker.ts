// The generator's second thread (see DraftWorker in generate.ts): builds the bench library in a
// SQLite store in memory, for the metric plan and the compiled rules, then drafts the batches
// it is asked for. Rules name tags and values by key, and drafted assignments carry indexes
// into BENCH_TAGS, so the ids of this store never reach the stores written.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../src/store/connect.js';
import { draftBatch, draftingFor, prepareStore, type DraftSetup } from './generate.js';

const port = parentPort;
if (!port) throw new Error('generate-worker runs as a worker thread only');
const setup = (workerData as { setup: DraftSetup }).setup;
const store = await openStore(':memory:');
await store.migrate();
const target = await prepareStore(store, { workspace: 'draft', now: setup.now });
const drafting = await draftingFor(target.context, setup);
port.on('message', (request: { id: number; start: number; end: number }) => {
  try {
    port.postMessage({ id: request.id, batch: draftBatch(drafting, request.start, request.end) });
  } catch (error) {
    port.postMessage({ id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
