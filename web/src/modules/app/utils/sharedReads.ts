// Reads of one path by one session share a request while it is under way: the parts of a page
// that ask the same GET at once (every list naming a model's tag reads the models) send it once.
// Nothing is kept once it has answered, so a later read, or a reload after a change (a model
// enabled on the Models page), asks the server again; a write forgets the reads under way, whose
// answer may be from before it.
const underWay = new Map<string, Promise<unknown>>();

/** The read under way for `key`, or one `start`ed now; `fresh` starts one regardless (a reload), which later reads then share. */
export function sharedRead<T>(key: string, start: () => Promise<T>, fresh = false): Promise<T> {
  const known = fresh ? undefined : underWay.get(key);
  if (known !== undefined) return known as Promise<T>;
  const read: Promise<T> = start().finally(() => {
    if (underWay.get(key) === read) underWay.delete(key);
  });
  underWay.set(key, read);
  return read;
}

/** After a write: the reads under way may answer from before it, so later ones start anew. */
export function forgetReads(): void {
  underWay.clear();
}
