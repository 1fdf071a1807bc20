// What a file offered for download is named, after the thing it holds (a segment, a snapshot, a
// template): the name as it reads, without the marks that set the direction of text, with which
// 名单\u202Excod.csv shows as 名单vsc.docx, another extension than the file has.

/** Left-to-right and right-to-left marks, embeddings, overrides and isolates. */
const DIRECTION_MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `name` as a file is named: without the marks that set the direction of text. */
export function downloadFileName(name: string): string {
  return name.replace(DIRECTION_MARKS, '');
}
