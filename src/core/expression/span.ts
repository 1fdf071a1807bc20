// Where something sits in the source text: every token, node and diagnostic carries one,
// so an error can point at the exact characters an operator typed.

/**
 * `offset` and `length` count UTF-16 code units (so `source.slice(offset, offset + length)`
 * is the text); `line` and `column` are 1-based and count characters (code points), as a
 * person counts them, so "客户" is two columns and an emoji is one.
 */
export interface Span {
  offset: number;
  length: number;
  line: number;
  column: number;
}

/** The span from the start of `first` to the end of `last`. */
export function spanBetween(first: Span, last: Span): Span {
  return { offset: first.offset, length: last.offset + last.length - first.offset, line: first.line, column: first.column };
}
