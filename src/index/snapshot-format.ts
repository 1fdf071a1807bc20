// The byte layout of an index snapshot: length-prefixed values written straight into parts of
// a fixed size (the unit the store keeps), and read back from those parts without joining
// them. Every read is bounds-checked, so a damaged payload that got past the checksum still
// ends in an error, never in an index built from garbage.
import type { Bitmap } from './roaring.js';
import { decodeText, encodeText } from './string-pool.js';

/** Bumped whenever the layout changes: a snapshot of another format is not read. */
export const SNAPSHOT_FORMAT = 7;
const MAGIC = 0x58494254; // "TBIX"
const END = 0x21444e45; // "END!"

export const snapshotSettings = {
  /** Bytes per stored part: a few MiB keeps each row (and pg's hex text of it) small. Tests shrink it. */
  partBytes: 8 * 1_048_576,
};

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class SnapshotError extends Error {}

type NumericArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

export class SnapshotWriter {
  readonly parts: Buffer[] = [];
  private current: Buffer;
  private at = 0;
  private readonly scratch = Buffer.alloc(8);

  constructor(private readonly partBytes = snapshotSettings.partBytes) {
    this.current = Buffer.allocUnsafe(partBytes);
    this.u32(MAGIC);
    this.u32(SNAPSHOT_FORMAT);
    this.u8(LITTLE_ENDIAN ? 1 : 0);
  }

  u8(value: number): void {
    this.scratch.writeUInt8(value, 0);
    this.raw(this.scratch.subarray(0, 1));
  }

  u32(value: number): void {
    this.scratch.writeUInt32LE(value, 0);
    this.raw(this.scratch.subarray(0, 4));
  }

  f64(value: number): void {
    this.scratch.writeDoubleLE(value, 0);
    this.raw(this.scratch.subarray(0, 8));
  }

  /** As CESU-8, which UTF-8 is not: a value with a lone surrogate (JSON allows one) reads back exactly. */
  string(value: string): void {
    const bytes = encodeText(value);
    this.u32(bytes.length);
    this.raw(bytes);
  }

  bitmap(bitmap: Bitmap): void {
    const bytes = bitmap.serialize('portable');
    this.u32(bytes.length);
    this.raw(bytes);
  }

  /** The array's bytes in this machine's order (the header says which). */
  array(values: NumericArray): void {
    this.u32(values.length);
    this.raw(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }

  /** Ends the payload: the parts, the last one cut to what it holds. */
  finish(): Buffer[] {
    this.u32(END);
    if (this.at > 0) this.parts.push(this.current.subarray(0, this.at));
    this.current = Buffer.alloc(0);
    this.at = 0;
    return this.parts;
  }

  private raw(bytes: Uint8Array): void {
    let from = 0;
    while (from < bytes.length) {
      const n = Math.min(bytes.length - from, this.partBytes - this.at);
      this.current.set(bytes.subarray(from, from + n), this.at);
      this.at += n;
      from += n;
      if (this.at === this.partBytes) {
        this.parts.push(this.current);
        this.current = Buffer.allocUnsafe(this.partBytes);
        this.at = 0;
      }
    }
  }
}

export class SnapshotReader {
  private part = 0;
  private at = 0;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  constructor(private readonly parts: readonly Uint8Array[]) {
    if (this.u32() !== MAGIC) throw new SnapshotError('not an index snapshot');
    const format = this.u32();
    if (format !== SNAPSHOT_FORMAT) throw new SnapshotError(`snapshot format ${format}, expected ${SNAPSHOT_FORMAT}`);
    if (this.u8() !== (LITTLE_ENDIAN ? 1 : 0)) throw new SnapshotError('snapshot of another byte order');
  }

  u8(): number {
    return this.take(1)[0] as number;
  }

  u32(): number {
    const bytes = this.take(4);
    return ((bytes[0] as number) | ((bytes[1] as number) << 8) | ((bytes[2] as number) << 16) | ((bytes[3] as number) << 24)) >>> 0;
  }

  f64(): number {
    const bytes = this.take(8);
    for (let i = 0; i < 8; i++) this.scratch.setUint8(i, bytes[i] as number);
    return this.scratch.getFloat64(0, true);
  }

  /** A count of items that each take at least `minBytes`: larger than what is left means damage. */
  count(minBytes = 1): number {
    const n = this.u32();
    if (n * minBytes > this.remaining()) throw new SnapshotError('snapshot count past its end');
    return n;
  }

  string(): string {
    return decodeText(this.take(this.u32()));
  }

  /** Reads a portable bitmap into `into` (a stored bitmap the caller made). */
  bitmap(into: Bitmap): Bitmap {
    const bytes = this.take(this.u32());
    into.deserialize(bytes, 'portable');
    return into;
  }

  float32(): Float32Array<ArrayBuffer> {
    const out = new Float32Array(this.count(4));
    this.fill(new Uint8Array(out.buffer));
    return out;
  }

  float64(): Float64Array<ArrayBuffer> {
    const out = new Float64Array(this.count(8));
    this.fill(new Uint8Array(out.buffer));
    return out;
  }

  uint8(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.count(1));
    this.fill(out);
    return out;
  }

  uint16(): Uint16Array<ArrayBuffer> {
    const out = new Uint16Array(this.count(2));
    this.fill(new Uint8Array(out.buffer));
    return out;
  }

  uint32(): Uint32Array<ArrayBuffer> {
    const out = new Uint32Array(this.count(4));
    this.fill(new Uint8Array(out.buffer));
    return out;
  }

  int32(): Int32Array<ArrayBuffer> {
    const out = new Int32Array(this.count(4));
    this.fill(new Uint8Array(out.buffer));
    return out;
  }

  /** Throws unless the payload ends exactly here. */
  end(): void {
    if (this.u32() !== END || this.remaining() !== 0) throw new SnapshotError('snapshot does not end where its layout does');
  }

  private remaining(): number {
    let left = (this.parts[this.part]?.length ?? 0) - this.at;
    for (let p = this.part + 1; p < this.parts.length; p++) left += this.parts[p]?.length ?? 0;
    return left;
  }

  private fill(out: Uint8Array): void {
    let done = 0;
    while (done < out.length) {
      const part = this.parts[this.part];
      if (!part) throw new SnapshotError('snapshot is truncated');
      const n = Math.min(out.length - done, part.length - this.at);
      out.set(part.subarray(this.at, this.at + n), done);
      done += n;
      this.at += n;
      if (this.at === part.length) {
        this.part++;
        this.at = 0;
      }
    }
  }

  /** `n` bytes: a view when they lie in one part, a copy when they span two. */
  private take(n: number): Uint8Array {
    const part = this.parts[this.part];
    if (part && this.at + n < part.length) {
      const view = part.subarray(this.at, this.at + n);
      this.at += n;
      return view;
    }
    const out = new Uint8Array(n);
    this.fill(out);
    return out;
  }
}
