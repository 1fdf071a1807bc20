// How many of a chunk's customers the recompute worker computes, the rest being recomputed on the
// main thread inside the chunk's transaction, so that both threads take as long per chunk: the
// worker alone is the slower half (reading events and computing metrics is most of a recompute),
// and the main thread's writes and rules leave it time to spare.

/** Weight of the newest measurement in the running averages. */
const SMOOTHING = 0.5;
/** The worker's first chunks run before its code is compiled to machine code: two to four times slower. */
const WORKER_WARMUP_CHUNKS = 2;
/** Before anything is measured: about the share that balanced the built-in metrics and rules. */
const FIRST_SHARE = 0.75;
const MIN_SHARE = 0.25;

export class ChunkSplit {
  /** Milliseconds per customer: in the worker; recomputed on the main thread; the rest of a chunk's transaction. */
  #worker: number | undefined;
  #here: number | undefined;
  #rest: number | undefined;
  #workerChunks = 0;

  /** How many of `size` customers to hand to the worker. */
  asideCount(size: number): number {
    const [worker, here, rest] = [this.#worker, this.#here, this.#rest];
    // Both threads take as long: worker·k = rest·size + here·(size − k).
    const share = worker === undefined || here === undefined || rest === undefined ? FIRST_SHARE : (rest + here) / (worker + here);
    return Math.round(size * Math.min(1, Math.max(MIN_SHARE, share)));
  }

  /** The worker took `ms` for `customers`. */
  workerTook(customers: number, ms: number): void {
    if (this.#workerChunks++ < WORKER_WARMUP_CHUNKS) return;
    if (customers > 0) this.#worker = average(this.#worker, ms / customers);
  }

  /** A chunk of `customers` took `ms` in its transaction, `hereMs` of it recomputing `here` customers. */
  chunkTook(customers: number, ms: number, here: number, hereMs: number): void {
    if (here > 0) this.#here = average(this.#here, hereMs / here);
    if (customers > 0) this.#rest = average(this.#rest, Math.max(0, ms - hereMs) / customers);
  }
}

function average(current: number | undefined, next: number): number {
  return current === undefined ? next : current + SMOOTHING * (next - current);
}
