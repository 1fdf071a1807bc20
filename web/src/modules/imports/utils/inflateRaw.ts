// A workbook's parts unzipped in the tab: raw deflate (zip method 8) undone by the browser's own
// DecompressionStream, as the compressed bytes come, for the reader `tagbase import` uses too.

/** The inflated bytes of `compressed`, a piece at a time; damaged or cut-off data is thrown. */
export async function* inflateRaw(compressed: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // Written while it is read: a write waits until its bytes are taken, so little is held at once.
  const writing = (async () => {
    try {
      // The stream takes no view of shared memory; the bytes of a dropped file are never one.
      for await (const chunk of compressed) await writer.write(chunk as Uint8Array<ArrayBuffer>);
      await writer.close();
    } catch (error) {
      // A failed reading of the input ends the output too, rather than leaving it waiting.
      await writer.abort(error).catch(() => undefined);
      throw error;
    }
  })();
  // Its failure shows as the output's; it is awaited below for a failure the output missed.
  writing.catch(() => undefined);
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
    finished = true;
    await writing;
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}
