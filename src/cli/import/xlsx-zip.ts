// The parts of a workbook (.xlsx is a zip archive) read one at a time from the file, each
// unzipped as it is read: the archive's directory at its end says where each part is, so a part
// can be read in any order and as often as needed, and no part is held whole unless asked for.
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';

/** Bytes read at any place: a file, or a workbook piped in and held. */
export interface ByteSource {
  size: number;
  read(position: number, length: number): Promise<Buffer>;
  /** The bytes from `start` up to `end` (not included), as they are read. */
  stream(start: number, end: number): Readable;
  close(): Promise<void>;
}

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
    stream: (start, end) => (end > start ? createReadStream(path, { start, end: end - 1, highWaterMark: 256 * 1024 }) : Readable.from([])),
    close: () => file.close(),
  };
}

export function bufferSource(bytes: Buffer): ByteSource {
  return {
    size: bytes.byteLength,
    read: (position, length) => Promise.resolve(bytes.subarray(position, position + length)),
    stream: (start, end) => Readable.from([bytes.subarray(start, end)]),
    close: () => Promise.resolve(),
  };
}

/** An archive that is not a zip, or a part of it that cannot be read. */
export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  headerOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const MAX_32 = 0xffffffff;

export class ZipArchive {
  private constructor(
    private readonly source: ByteSource,
    private readonly entries: Map<string, ZipEntry>,
  ) {}

  /** Reads the archive's directory; a file that is no zip archive is a `ZipError`. */
  static async open(source: ByteSource): Promise<ZipArchive> {
    // The end record is the last 22 bytes, unless a comment (at most 65,535 bytes) follows it.
    const tailLength = Math.min(source.size, 22 + 0xffff);
    const tail = await source.read(source.size - tailLength, tailLength);
    let end = -1;
    for (let at = tail.length - 22; at >= 0; at--) {
      if (tail.readUInt32LE(at) === END_OF_DIRECTORY) {
        end = at;
        break;
      }
    }
    if (end < 0) throw new ZipError('no zip directory at its end (a damaged or cut-off file)');
    let count = tail.readUInt16LE(end + 10);
    let directorySize = tail.readUInt32LE(end + 12);
    let directoryOffset = tail.readUInt32LE(end + 16);
    if ((count === 0xffff || directorySize === MAX_32 || directoryOffset === MAX_32) && end >= 20 && tail.readUInt32LE(end - 20) === ZIP64_LOCATOR) {
      const record = await source.read(Number(tail.readBigUInt64LE(end - 12)), 56);
      if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_END_OF_DIRECTORY) throw new ZipError('a damaged zip64 directory');
      count = Number(record.readBigUInt64LE(32));
      directorySize = Number(record.readBigUInt64LE(40));
      directoryOffset = Number(record.readBigUInt64LE(48));
    }
    if (directoryOffset + directorySize > source.size) throw new ZipError('the zip directory lies past the end of the file (a cut-off file)');
    const directory = await source.read(directoryOffset, directorySize);
    const entries = new Map<string, ZipEntry>();
    let at = 0;
    for (let index = 0; index < count; index++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== DIRECTORY_ENTRY) throw new ZipError('a damaged zip directory');
      const method = directory.readUInt16LE(at + 10);
      let compressedSize = directory.readUInt32LE(at + 20);
      let size = directory.readUInt32LE(at + 24);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      let headerOffset = directory.readUInt32LE(at + 42);
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
      // Sizes and offsets too large for 32 bits are in the zip64 extra field, in this order.
      for (let extra = at + 46 + nameLength; extra + 4 <= at + 46 + nameLength + extraLength; ) {
        const id = directory.readUInt16LE(extra);
        const length = directory.readUInt16LE(extra + 2);
        if (id === 1) {
          let field = extra + 4;
          if (size === MAX_32) {
            size = Number(directory.readBigUInt64LE(field));
            field += 8;
          }
          if (compressedSize === MAX_32) {
            compressedSize = Number(directory.readBigUInt64LE(field));
            field += 8;
          }
          if (headerOffset === MAX_32) headerOffset = Number(directory.readBigUInt64LE(field));
        }
        extra += 4 + length;
      }
      entries.set(name, { name, method, compressedSize, headerOffset });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return new ZipArchive(source, entries);
  }

  /** The entry of a part by its name (as the workbook names it, told apart without regard to case as a zip of Office parts is). */
  private entry(name: string): ZipEntry | undefined {
    const exact = this.entries.get(name);
    if (exact) return exact;
    const lower = name.toLowerCase();
    for (const entry of this.entries.values()) if (entry.name.toLowerCase() === lower) return entry;
    return undefined;
  }

  has(name: string): boolean {
    return this.entry(name) !== undefined;
  }

  /** A part's text as it is unzipped, in pieces. */
  async *text(name: string): AsyncGenerator<string> {
    const entry = this.entry(name);
    if (!entry) throw new ZipError(`"${name}" is missing from the workbook`);
    const header = await this.source.read(entry.headerOffset, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_HEADER) throw new ZipError(`"${name}" is damaged`);
    const start = entry.headerOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const stored = this.source.stream(start, start + entry.compressedSize);
    if (entry.method !== 0 && entry.method !== 8) {
      stored.destroy();
      throw new ZipError(`"${name}" is compressed in a way zip readers do not share (method ${entry.method})`);
    }
    const inflater = entry.method === 8 ? createInflateRaw({ chunkSize: 64 * 1024 }) : undefined;
    const bytes: Readable = inflater ?? stored;
    // A read error of the file ends the inflater too, and so the reading.
    const done = inflater ? pipeline(stored, inflater).catch((error: unknown) => error) : Promise.resolve(undefined);
    const decoder = new TextDecoder('utf-8');
    try {
      for await (const chunk of bytes) {
        const text = decoder.decode(chunk as Buffer, { stream: true });
        if (text !== '') yield text;
      }
      const tail = decoder.decode();
      if (tail !== '') yield tail;
    } catch (error) {
      throw new ZipError(`"${name}" cannot be unzipped: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      stored.destroy();
      inflater?.destroy();
      await done;
    }
  }

  /** A part's whole text; undefined when the workbook has no such part. */
  async wholeText(name: string): Promise<string | undefined> {
    if (!this.entry(name)) return undefined;
    let text = '';
    for await (const piece of this.text(name)) text += piece;
    return text;
  }
}
