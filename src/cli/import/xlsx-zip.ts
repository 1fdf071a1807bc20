// A workbook's bytes as `tagbase import` reads them (`ZipArchive`): from the file, a piece at a
// time, or held when piped in; and its parts inflated by Node's zlib.
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { bytesSource, type ByteSource } from '../../core/zip-archive.js';

export async function fileSource(path: string): Promise<ByteSource> {
  const file: FileHandle = await open(path);
  const { size } = await file.stat();
  return {
    size,
    async read(position, length) {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    },
    // Left early, the stream's own iterator closes it.
    stream: (start, end) => (end > start ? createReadStream(path, { start, end: end - 1, highWaterMark: 256 * 1024 }) : nothing()),
    close: () => file.close(),
  };
}

async function* nothing(): AsyncGenerator<Uint8Array> {}

export function bufferSource(bytes: Buffer): ByteSource {
  return bytesSource(bytes, Math.max(bytes.byteLength, 1));
}

/** Raw deflate undone by zlib, as the compressed bytes are read; a read error of the file ends it too. */
export async function* inflateRaw(compressed: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const inflater = createInflateRaw({ chunkSize: 64 * 1024 });
  const done = pipeline(compressed, inflater).catch((error: unknown) => error);
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } finally {
    inflater.destroy();
    await done;
  }
}
