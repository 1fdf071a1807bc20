// The CRoaring binding is a CommonJS module; this gives the index one typed import of its bitmap.
import roaring from 'roaring';

export type Bitmap = roaring.RoaringBitmap32;
export const Bitmap = roaring.RoaringBitmap32;

/** Serialised size in CRoaring's own format: what a bitmap costs in memory, near enough. */
export function bitmapBytes(bitmap: Bitmap): number {
  return bitmap.getSerializationSizeInBytes('croaring');
}
