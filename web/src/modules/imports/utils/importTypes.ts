// What an import's answers add up to, and how far it has got.
import type { RepeatedId } from './repeatedIds';
import type { RejectedRows } from './rejectedRowsFile';

export interface ImportResultJson {
  rows: number;
  accepted: number;
  rejected: number;
  /** `reason` in the language the request asked for, `localized` in every language. */
  rejections: { line: number; code: string; reason: string; localized?: { en: string; 'zh-CN': string } }[];
  /** The header and each listed rejected row as they are in the file, for the operator to correct and import again. */
  rejected_rows?: RejectedRows;
  /** Times the file wrote without a zone, read in the workspace's (`utc_offset_minutes` east of UTC). */
  zoneless_times: number;
  utc_offset_minutes: number;
  /**
   * Of a customers import: customers new to the workspace, those that were there and whose fields
   * or identities the file changed, and those that were there and already held what the file gave them.
   */
  created?: number;
  updated?: number;
  unchanged?: number;
  /** Of a customers import: ids on more than one row of the whole file that landed, whose last row's values stand. */
  repeated_ids?: RepeatedId[];
  /** Of a customers import: identifier cells masked as an export for a masking role writes them (138****5678), left alone. */
  masked_identifiers?: number;
  /** Of an events import: rows that landed whose event was stored before, and was not stored again. */
  duplicates?: number;
  /** Of a customers or events import: ids of digits (12) that created a customer beside one stored with leading zeros (00012), at the first such row. */
  leading_zeros_lost?: { id: string; stored: string; line: number }[];
}

export interface ImportProgress {
  done: number;
  total: number;
  /** Rows per second so far. */
  rate: number;
}
