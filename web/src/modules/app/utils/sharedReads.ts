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

/**
 * The POSTs that only read (counting, previewing, comparing, insight), as the server's access rules
 * know them (`READING_POSTS`, src/api/access.ts): they write nothing a read under way could miss.
 * Taken for writes, the customers page's first page of customers, read by a preview, dropped its
 * read of the saved segments under way, and the page's other part asked for them again.
 */
const READING_POSTS = new Set(['/tags/preview', '/segments/count', '/segments/preview', '/segments/overlap', '/segments/insight']);

/** Whether a call may change what the reads under way answer: any but a GET and a POST that only reads. */
export function writes(method: string, path: string): boolean {
  return method !== 'GET' && !(method === 'POST' && READING_POSTS.has(path.split('?')[0] ?? path));
}

/** After a write: the reads under way may answer from before it, so later ones start anew. */
export function forgetReads(): void {
  underWay.clear();
}
