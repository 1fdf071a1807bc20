// Requests handed to a worker thread and answered out of band: each gets an id, and the
// thread's reply settles the one it names. Once the thread fails every waiting request fails
// with it, and so does any request made afterwards.

export class WorkerRequests<T> {
  readonly #waiting = new Map<number, { resolve(value: T): void; reject(error: Error): void }>();
  #nextId = 0;
  #failure: Error | undefined;

  /** Why the thread can take no more requests; undefined while it can. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** A new request: its id, to send along, and the promise its reply settles. */
  open(): { id: number; reply: Promise<T> } {
    if (this.#failure) return { id: -1, reply: Promise.reject(this.#failure) };
    const id = this.#nextId++;
    const reply = new Promise<T>((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
    return { id, reply };
  }

  resolve(id: number, value: T): void {
    this.#take(id)?.resolve(value);
  }

  reject(id: number, error: Error): void {
    this.#take(id)?.reject(error);
  }

  /** The thread is gone: every waiting request, and every later one, fails with `error` (the first reason given is kept). */
  fail(error: Error): void {
    this.#failure ??= error;
    for (const waiting of this.#waiting.values()) waiting.reject(this.#failure);
    this.#waiting.clear();
  }

  #take(id: number) {
    const waiting = this.#waiting.get(id);
    this.#waiting.delete(id);
    return waiting;
  }
}
