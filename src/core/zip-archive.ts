// The parts of a zip archive (as an .xlsx workbook is) read one at a time, each unzipped as it
// is read: the archive's directory at its end says where each part is, so a part can be read in
// any order and as often as needed, and no part is held whole unless asked for. Where the bytes
// come from and how they are inflated is the caller's (a file and Node's zlib in `tagbase
// import`, the dropped file and the browser's DecompressionStream in the console).

/** Bytes read at any place: a file, or a workbook held in memory. */
export interface ByteSource {
  size: number;
  read(position: number, length: number): Promise<Uint8Array>;
  /** The bytes from `start` up to `end` (not included), as they are read; stopping early releases them. */
  stream(start: number, end: number): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

/** Raw deflate (zip method 8) undone, as the compressed bytes come; a damaged stream is thrown. */
export type Inflate = (compressed: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

/** A held workbook's bytes as a source, given out in pieces so that none is inflated at once. */
export function bytesSource(bytes: Uint8Array, piece = 1024 * 1024): ByteSource {
  return {
    size: bytes.byteLength,
    read: (position, length) => Promise.resolve(bytes.subarray(position, position + length)),
    async *stream(start, end) {
      for (let at = start; at < end; at += piece) yield bytes.subarray(at, Math.min(at + piece, end));
    },
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

/** Little-endian numbers of a piece of bytes. */
function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const NAMES = new TextDecoder('utf-8');

export class ZipArchive {
  private constructor(
    private readonly source: ByteSource,
    private readonly inflate: Inflate,
    private readonly entries: Map<string, ZipEntry>,
  ) {}

  /** Reads the archive's directory; a file that is no zip archive is a `ZipError`. */
  static async open(source: ByteSource, inflate: Inflate): Promise<ZipArchive> {
    // The end record is the last 22 bytes, unless a comment (at most 65,535 bytes) follows it.
    const tailLength = Math.min(source.size, 22 + 0xffff);
    const tailBytes = await source.read(source.size - tailLength, tailLength);
    const tail = view(tailBytes);
    let end = -1;
    for (let at = tailBytes.length - 22; at >= 0; at--) {
      if (tail.getUint32(at, true) === END_OF_DIRECTORY) {
        end = at;
        break;
      }
    }
    if (end < 0) throw new ZipError('no zip directory at its end (a damaged or cut-off file)');
    let count = tail.getUint16(end + 10, true);
    let directorySize = tail.getUint32(end + 12, true);
    let directoryOffset = tail.getUint32(end + 16, true);
    if ((count === 0xffff || directorySize === MAX_32 || directoryOffset === MAX_32) && end >= 20 && tail.getUint32(end - 20, true) === ZIP64_LOCATOR) {
      const recordBytes = await source.read(Number(tail.getBigUint64(end - 12, true)), 56);
      const record = view(recordBytes);
      if (recordBytes.length < 56 || record.getUint32(0, true) !== ZIP64_END_OF_DIRECTORY) throw new ZipError('a damaged zip64 directory');
      count = Number(record.getBigUint64(32, true));
      directorySize = Number(record.getBigUint64(40, true));
      directoryOffset = Number(record.getBigUint64(48, true));
    }
    if (directoryOffset + directorySize > source.size) throw new ZipError('the zip directory lies past the end of the file (a cut-off file)');
    const directoryBytes = await source.read(directoryOffset, directorySize);
    const directory = view(directoryBytes);
    const entries = new Map<string, ZipEntry>();
    let at = 0;
    for (let index = 0; index < count; index++) {
      if (at + 46 > directoryBytes.length || directory.getUint32(at, true) !== DIRECTORY_ENTRY) throw new ZipError('a damaged zip directory');
      const method = directory.getUint16(at + 10, true);
      let compressedSize = directory.getUint32(at + 20, true);
      let size = directory.getUint32(at + 24, true);
      const nameLength = directory.getUint16(at + 28, true);
      const extraLength = directory.getUint16(at + 30, true);
      const commentLength = directory.getUint16(at + 32, true);
      let headerOffset = directory.getUint32(at + 42, true);
      if (at + 46 + nameLength + extraLength > directoryBytes.length) throw new ZipError('a damaged zip directory');
      const name = NAMES.decode(directoryBytes.subarray(at + 46, at + 46 + nameLength));
      // Sizes and offsets too large for 32 bits are in the zip64 extra field, in this order.
      for (let extra = at + 46 + nameLength; extra + 4 <= at + 46 + nameLength + extraLength; ) {
        const id = directory.getUint16(extra, true);
        const length = directory.getUint16(extra + 2, true);
        if (id === 1) {
          let field = extra + 4;
          if (size === MAX_32) {
            size = Number(directory.getBigUint64(field, true));
            field += 8;
          }
          if (compressedSize === MAX_32) {
            compressedSize = Number(directory.getBigUint64(field, true));
            field += 8;
          }
          if (headerOffset === MAX_32) headerOffset = Number(directory.getBigUint64(field, true));
        }
        extra += 4 + length;
      }
      entries.set(name, { name, method, compressedSize, headerOffset });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return new ZipArchive(source, inflate, entries);
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
    const headerBytes = await this.source.read(entry.headerOffset, 30);
    const header = view(headerBytes);
    if (headerBytes.length < 30 || header.getUint32(0, true) !== LOCAL_HEADER) throw new ZipError(`"${name}" is damaged`);
    if (entry.method !== 0 && entry.method !== 8) throw new ZipError(`"${name}" is compressed in a way zip readers do not share (method ${entry.method})`);
    const start = entry.headerOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
    const stored = this.source.stream(start, start + entry.compressedSize);
    const bytes = entry.method === 8 ? this.inflate(stored) : stored;
    const decoder = new TextDecoder('utf-8');
    try {
      for await (const chunk of bytes) {
        const text = decoder.decode(chunk, { stream: true });
        if (text !== '') yield text;
      }
      const tail = decoder.decode();
      if (tail !== '') yield tail;
    } catch (error) {
      throw new ZipError(`"${name}" cannot be unzipped: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A part's whole text; undefined when the archive has no such part. */
  async wholeText(name: string): Promise<string | undefined> {
    if (!this.entry(name)) return undefined;
    let text = '';
    for await (const piece of this.text(name)) text += piece;
    return text;
  }
}
