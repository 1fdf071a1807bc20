// A sheet written out as CSV text (as `sheetToCsv` writes it) without holding its rows: the
// rows are read twice, once to find what the CSV text needs from the whole sheet (the header
// among the first rows, the columns without a heading that hold something further down, how many
// rows hold something), and once to write each row's line as it comes.
import { MAX_TITLE_ROWS, filledCells, headerRowIndex, secondHeaderRow, sheetCellText, sheetColumnName, titleOf, type SecondHeaderRow } from './spreadsheet.js';
import type { SheetRange } from './xlsx-sheet.js';

/** A row's cells as text (`sheetCellText`). */
export function sheetRowTexts(cells: readonly unknown[]): string[] {
  return cells.map(sheetCellText);
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** What the first reading of a sheet found. */
export interface SheetCsvPlan {
  /** The header's sheet row index (0-based); -1 when no row holds anything. */
  headerIndex: number;
  /** Data rows the CSV text will hold (as `SheetAsCsv.rows`). */
  rows: number;
  titles: { row: number; text: string }[];
  headingOf(column: number): string;
  /** The CSV header line. */
  headerLine: string;
  /** The CSV line of the row at `index` (its cells as text); undefined for the header, the rows above it and empty rows. */
  lineOf(index: number, texts: readonly string[]): string | undefined;
  /** A second heading row right below the header (`secondHeaderRow`), which the importer would read as a customer; with its sheet row. */
  secondHeaderRow?: SecondHeaderRow & { row: number };
}

/** The first reading: told each row that holds a cell, in order, by its index (0 for row 1) and its cells as text. */
export class SheetCsvSurvey {
  /** The first rows, by index, where the header is looked for. */
  private readonly head: string[][] = [];
  private firstFilled: { index: number; texts: string[] } | undefined;
  /** Per column, the last row index where it holds something. */
  private readonly lastFilled: number[] = [];
  private filledRows = 0;
  /** Cells merged across columns, for a second heading row under the header. */
  private readonly merged: SheetRange[] = [];

  observe(index: number, texts: string[]): void {
    // One row more than the header is looked for in: the row below it.
    if (index <= MAX_TITLE_ROWS + 2) this.head[index] = texts;
    if (filledCells(texts) === 0) return;
    this.filledRows++;
    this.firstFilled ??= { index, texts };
    for (let column = 0; column < texts.length; column++) if ((texts[column] ?? '').trim() !== '') this.lastFilled[column] = index;
  }

  /** Told each range of merged cells (which a sheet writes after its rows). */
  observeMerged(range: SheetRange): void {
    if (range.lastColumn > range.firstColumn && range.firstRow <= MAX_TITLE_ROWS + 1) this.merged.push(range);
  }

  plan(): SheetCsvPlan {
    const head: string[][] = [];
    for (let index = 0; index < Math.min(this.head.length, MAX_TITLE_ROWS + 2); index++) head.push(this.head[index] ?? []);
    let headerIndex = headerRowIndex(head);
    if (headerIndex < 0) headerIndex = this.firstFilled?.index ?? -1;
    if (headerIndex < 0) return { headerIndex, rows: 0, titles: [], headingOf: sheetColumnName, headerLine: '', lineOf: () => undefined };
    const header = headerIndex < head.length ? (head[headerIndex] ?? []) : (this.firstFilled?.texts ?? []);
    const titles = head.slice(0, headerIndex).flatMap((row, index) => (filledCells(row) > 0 ? [titleOf(row, index + 1)] : []));
    const filledUpToHeader = headerIndex < head.length ? head.slice(0, headerIndex + 1).filter((row) => filledCells(row) > 0).length : 1;
    const width = Math.max(header.length, this.lastFilled.length);
    const columns: number[] = [];
    for (let column = 0; column < width; column++) {
      if ((header[column] ?? '').trim() !== '' || (this.lastFilled[column] ?? -1) > headerIndex) columns.push(column);
    }
    const headingOf = (column: number) => (header[column] ?? '').trim() || sheetColumnName(column);
    const second = headerIndex < head.length ? this.secondHeaderRowBelow(headerIndex, header) : undefined;
    return {
      ...(second ? { secondHeaderRow: second } : {}),
      headerIndex,
      rows: this.filledRows - filledUpToHeader,
      titles,
      headingOf,
      headerLine: columns.map((column) => csvCell(headingOf(column))).join(','),
      lineOf(index, texts) {
        if (index <= headerIndex || columns.every((column) => (texts[column] ?? '').trim() === '')) return undefined;
        return columns.map((column) => csvCell(texts[column] ?? '')).join(',');
      },
    };
  }

  /** The next row with a cell below the header, when it is a second heading row. */
  private secondHeaderRowBelow(headerIndex: number, header: readonly string[]): (SecondHeaderRow & { row: number }) | undefined {
    let below = headerIndex + 1;
    while (below < this.head.length && this.head[below] === undefined) below++;
    const next = this.head[below];
    const merged = this.merged.filter((range) => range.firstRow <= headerIndex && headerIndex <= range.lastRow).map((range) => ({ from: range.firstColumn, to: range.lastColumn }));
    const found = secondHeaderRow(header, next, merged);
    return found && { ...found, row: below + 1 };
  }
}
