// The parts of an Excel workbook (.xlsx) the importer reads, parsed from their XML text as it is
// unzipped, so that a sheet's rows come out one by one rather than the sheet being held whole:
// the workbook's sheets and date system, where its parts are, its shared strings, which of its
// cell styles show dates, and a sheet's rows. A cell reads as a string (trimmed; an empty one as
// null), a number as the text `sheetNumberText` writes (with the leading zeros a format of zeros alone shows), a date cell (a number in a date format,
// or an ISO date) as a Date holding the sheet's wall-clock time as UTC, a boolean, or null.
// Unzipping is left to the caller (`ZipArchive`, in `tagbase import` and in the console alike).
import { sheetNumberText } from './spreadsheet.js';
import { scanXml, xmlAttributes, type XmlHandler } from './xml-scanner.js';

export type SheetCell = string | Date | boolean | null;

/** A workbook that cannot be read as one: a part missing or a cell that is not what its type says. */
export class WorkbookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkbookError';
  }
}

/**
 * Characters XML cannot hold, as a workbook writes them (`_x000D_`); `_x005F_` before one keeps
 * it as written. Replaced left to right without overlapping.
 */
export function unescapeSheetText(text: string): string {
  return text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

export interface WorkbookInfo {
  /** The sheets in the workbook's order, each with the id of its relationship. */
  sheets: { name: string; relationId: string }[];
  /** Dates count days from 1904 (old Excel for Mac) rather than 1900. */
  date1904: boolean;
}

/** `xl/workbook.xml`. */
export function parseWorkbookInfo(xml: string): WorkbookInfo {
  const info: WorkbookInfo = { sheets: [], date1904: false };
  let properties = false;
  scanXml(xml, {
    open(name, raw) {
      if (name === 'workbookPr' && !properties) {
        properties = true;
        const value = xmlAttributes(raw).get('date1904');
        info.date1904 = value === '1' || value === 'true';
      } else if (name === 'sheet') {
        const attributes = xmlAttributes(raw);
        const sheetName = attributes.get('name');
        if (sheetName) info.sheets.push({ name: unescapeSheetText(sheetName), relationId: attributes.get('id') ?? '' });
      }
    },
    close() {},
    text() {},
  });
  return info;
}

export interface WorkbookParts {
  /** A worksheet's part by the id of its relationship. */
  sheets: Map<string, string>;
  sharedStrings?: string | undefined;
  styles?: string | undefined;
}

const RELATIONSHIP_TYPES = ['http://schemas.openxmlformats.org/officeDocument/2006/relationships/', 'http://purl.oclc.org/ooxml/officeDocument/relationships/'];

/** `xl/_rels/workbook.xml.rels`: where the sheets, shared strings and styles are (`xl/worksheets/sheet1.xml`). */
export function parseWorkbookParts(xml: string): WorkbookParts {
  const parts: WorkbookParts = { sheets: new Map() };
  scanXml(xml, {
    open(name, raw) {
      if (name !== 'Relationship') return;
      const attributes = xmlAttributes(raw);
      const type = attributes.get('Type') ?? '';
      const target = attributes.get('Target') ?? '';
      const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
      const base = RELATIONSHIP_TYPES.find((prefix) => type.startsWith(prefix));
      if (base === undefined) return;
      const kind = type.slice(base.length);
      if (kind === 'worksheet') parts.sheets.set(attributes.get('Id') ?? '', path);
      else if (kind === 'sharedStrings') parts.sharedStrings = path;
      else if (kind === 'styles') parts.styles = path;
    },
    close() {},
    text() {},
  });
  return parts;
}

/**
 * Reads `xl/sharedStrings.xml` as it is written to it (`XmlScanner`): each `<si>` is one string,
 * the runs of rich text joined, phonetic guides (`<rPh>`) left out.
 */
export class SharedStringsReader implements XmlHandler {
  readonly strings: string[] = [];
  private item: { text: string; t: boolean; run: boolean; phonetic: boolean } | undefined;

  open(name: string): void {
    if (name === 'si') this.item = { text: '', t: false, run: false, phonetic: false };
    else if (this.item) this.flag(name, true);
  }

  close(name: string): void {
    if (name === 'si' && this.item) {
      this.strings.push(unescapeSheetText(this.item.text));
      this.item = undefined;
    } else if (this.item) this.flag(name, false);
  }

  text(text: string): void {
    const item = this.item;
    if (!item || item.phonetic || !item.t) return;
    item.text = item.run ? item.text + text : text;
  }

  private flag(name: string, on: boolean): void {
    if (!this.item) return;
    if (name === 't') this.item.t = on;
    else if (name === 'r') this.item.run = on;
    else if (name === 'rPh') this.item.phonetic = on;
  }
}

/** Number formats built in by id that show dates or times (in any locale, the Chinese ones among them). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81]);

const DATE_TOKENS = new Set(['s', 'ss', 'm', 'mm', 'h', 'hh', 'am', 'pm', 'a', 'p', 'd', 'dd', 'ddd', 'dddd', 'aaa', 'aaaa', 'aaaaa', 'mmm', 'mmmm', 'mmmmm', 'y', 'yy', 'yyyy', 'e', 'ee', 'eeee']);

/** Whether a number format's code (`yyyy/m/d`, `[$-F800]dddd\,\ mmmm\ dd\,\ yyyy`) shows a date or a time. */
export function isDateFormatCode(code: string): boolean {
  const sections = code
    .toLowerCase()
    .replace(/;@$/, '')
    .replace(/\\./g, ' ')
    .split(';');
  return sections.some((section) => {
    const tokens = section
      .replace(/"[^"]*"/g, ' ')
      .replace(/(\[?[smhd]{1,2}\]?)[.,]00?0?/g, '$1')
      .replace(/\[([smhd]{1,2})\]/g, '$1')
      .replace(/\[[^\]]*\]/g, '')
      .split(/[^a-z0#?%]+/)
      .filter(Boolean);
    return tokens.length > 0 && tokens.every((token) => DATE_TOKENS.has(token));
  });
}

/** A cell style's number format: its id, and its code when the style names a custom one of its own. */
interface CellNumberFormat {
  id: number;
  code: string | undefined;
}

/**
 * `xl/styles.xml`: each cell style's (`<c s="3">`) number format. A style takes the number format
 * of the cell style it is based on (`xfId`) unless it has one of its own; a base style's format is
 * taken by its id alone, as the cell style it is for may name a code of its own.
 */
function cellNumberFormats(xml: string): (CellNumberFormat | undefined)[] {
  const codes = new Map<number, string>();
  type Format = { id: number } | undefined;
  const base: Format[] = [];
  const styles: { format: Format; base: number }[] = [];
  let list: 'base' | 'cell' | undefined;
  scanXml(xml, {
    open(name, raw) {
      if (name === 'numFmt') {
        const attributes = xmlAttributes(raw);
        const id = Number(attributes.get('numFmtId'));
        if (id >= 100) codes.set(id, attributes.get('formatCode') ?? '');
        else codes.delete(id);
      } else if (name === 'cellStyleXfs') list = 'base';
      else if (name === 'cellXfs') list = 'cell';
      else if (name === 'xf' && list !== undefined) {
        const attributes = xmlAttributes(raw);
        const id = attributes.get('numFmtId');
        const format = id ? { id: Number(id) } : undefined;
        if (list === 'base') base.push(format);
        else styles.push({ format, base: Number(attributes.get('xfId') ?? 0) });
      }
    },
    close(name) {
      if (name === 'cellStyleXfs' || name === 'cellXfs') list = undefined;
    },
    text() {},
  });
  return styles.map((style) => {
    const format = style.format ?? (style.base ? base[style.base] : undefined);
    if (!format) return undefined;
    return { id: format.id, code: style.format ? codes.get(format.id) : undefined };
  });
}

/** For each cell style, whether it shows a date; only custom formats (ids from 100) are looked at by their code. */
export function parseDateStyles(xml: string): boolean[] {
  return cellNumberFormats(xml).map((format) => {
    if (!format) return false;
    if (DATE_FORMAT_IDS.has(format.id)) return true;
    return format.code !== undefined && format.code !== '' && isDateFormatCode(format.code);
  });
}

/**
 * For each cell style, the digits a whole number is shown with when its format is zeros alone
 * (`00000000000`: a member number or a phone kept as a number, its leading zeros shown by the
 * format only); undefined for any other format.
 */
export function parseZeroPaddedStyles(xml: string): (number | undefined)[] {
  return cellNumberFormats(xml).map((format) => {
    const code = format?.code?.replace(/;@$/, '');
    return code !== undefined && /^0{2,}$/.test(code) ? code.length : undefined;
  });
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * A date cell's number of days (from 1900, or from 1904) as the time it shows, as UTC, to the
 * nearest millisecond. A floating-point count of days lands a hair either side of the millisecond
 * it means (21:05:30 as 21:05:29.99999…): floored, as some readers do, one time in three would be
 * read a millisecond early. A spreadsheet shows no finer than a millisecond, so the nearest is the one meant.
 */
export function sheetSerialTime(days: number, date1904: boolean): number {
  // 1900-01-00 is day 0, and 1900 is taken for a leap year; 1904-01-01 is day 0 of the other system.
  const shifted = date1904 ? days + 4 * 365 + 2 : days;
  return Math.round((shifted - (2 + 70 * 365 + 17)) * DAY);
}

/** What a sheet's cells are read with: the workbook's shared strings, date styles and date system. */
export interface SheetContext {
  strings: readonly string[];
  dateStyles: readonly boolean[] | undefined;
  /** Per cell style, the digits its format pads a whole number to (`parseZeroPaddedStyles`). */
  zeroPaddedStyles?: readonly (number | undefined)[] | undefined;
  date1904: boolean;
}

/** A row of a sheet: its index (0 for the sheet's row 1) and its cells (column 0 first; the row ends at its last cell that holds something). */
export interface SheetRow {
  index: number;
  cells: SheetCell[];
}

interface CellState {
  type: string;
  style: string | undefined;
  row: number;
  column: number;
  value: string | undefined;
  inline: string | undefined;
  inValue: boolean;
  inInline: boolean;
  inText: boolean;
  inRun: boolean;
  inPhonetic: boolean;
  formula: boolean;
  /** The `<v>` as written, before anything is unescaped: whether a formula's result was saved. */
  rawValue: string | undefined;
}

/** `B12` → [12, 2] (1-based); undefined when it is not a cell's reference. */
function cellPlace(reference: string): [number, number] | undefined {
  const match = /^([A-Z]+)(\d+)$/.exec(reference);
  if (!match) return undefined;
  let column = 0;
  for (const letter of match[1] ?? '') column = column * 26 + (letter.charCodeAt(0) - 64);
  return [Number(match[2]), column];
}

/** Cells merged into one: the rows and columns (0-based) of its corners. */
export interface SheetRange {
  firstRow: number;
  lastRow: number;
  firstColumn: number;
  lastColumn: number;
}

/** A range as a sheet writes it (`C1:D1`); one cell (`C1`) is a range of one. */
function sheetRange(reference: string): SheetRange | undefined {
  const [start = '', end = start] = reference.split(':');
  const from = cellPlace(start);
  const to = cellPlace(end);
  if (!from || !to) return undefined;
  return { firstRow: Math.min(from[0], to[0]) - 1, lastRow: Math.max(from[0], to[0]) - 1, firstColumn: Math.min(from[1], to[1]) - 1, lastColumn: Math.max(from[1], to[1]) - 1 };
}

/**
 * Reads a sheet's XML as it is written to it (`XmlScanner`), calling `onRow` with each row that
 * has cells, in the sheet's order, and `onUnsavedFormula` with each formula cell saved without its
 * result (row 1-based, column 0-based): no value after the formula, or an empty one where the
 * result is not text (`t="str"` with an empty value is a formula that worked out to empty text);
 * and `onMergedCell` with each range of merged cells, which come after the rows.
 */
export class SheetRowReader implements XmlHandler {
  private inData = false;
  private rowNumber: number | undefined;
  private cells: SheetCell[] = [];
  /** The row number of the last row read. */
  private previousRow = 0;
  private cursor: [number, number] = [0, 0];
  private lastColumn = 0;
  private cell: CellState | undefined;

  constructor(
    private readonly context: SheetContext,
    private readonly onRow: (row: SheetRow) => void,
    private readonly onUnsavedFormula: (place: { row: number; column: number }) => void = () => {},
    private readonly onMergedCell: (range: SheetRange) => void = () => {},
  ) {}

  open(name: string, raw: string): void {
    // After the rows: the sheet's merged cells (`<mergeCell ref="C1:D1"/>`).
    if (name === 'mergeCell') {
      const range = sheetRange(xmlAttributes(raw).get('ref') ?? '');
      if (range) this.onMergedCell(range);
      return;
    }
    if (name === 'sheetData') {
      this.inData = true;
      return;
    }
    if (!this.inData) return;
    if (name === 'row') {
      const r = xmlAttributes(raw).get('r');
      this.rowNumber = r ? Number(r) : undefined;
      this.cells = [];
      this.lastColumn = 0;
      return;
    }
    if (name === 'c') {
      const attributes = xmlAttributes(raw);
      const reference = attributes.get('r');
      const row = this.rowNumber ?? this.previousRow + 1;
      // A cell without its reference is the one after the cell before it.
      const place: [number, number] | undefined = reference === undefined ? [row, this.lastColumn + 1] : cellPlace(reference);
      if (!place) throw new WorkbookError(`a cell's reference "${reference}" is not a cell's`);
      this.cell = {
        type: attributes.get('t') || 'n',
        style: attributes.get('s'),
        row: place[0],
        column: place[1],
        value: undefined,
        inline: undefined,
        inValue: false,
        inInline: false,
        inText: false,
        inRun: false,
        inPhonetic: false,
        formula: false,
        rawValue: undefined,
      };
      return;
    }
    const cell = this.cell;
    if (!cell) return;
    if (name === 'v') cell.inValue = true;
    else if (name === 'is') {
      cell.inInline = true;
      cell.inline = '';
    } else if (name === 't') cell.inText = true;
    else if (name === 'r') cell.inRun = true;
    else if (name === 'rPh') cell.inPhonetic = true;
    else if (name === 'f') cell.formula = true;
  }

  close(name: string): void {
    if (!this.inData) return;
    if (name === 'row') this.endRow();
    else if (name === 'c') this.endCell();
    const cell = this.cell;
    if (!cell) return;
    if (name === 'v') {
      cell.inValue = false;
      cell.value ??= '';
      cell.rawValue ??= '';
      if (cell.type === 'str') cell.value = unescapeSheetText(cell.value);
    } else if (name === 'is') {
      cell.inInline = false;
      cell.inline = unescapeSheetText(cell.inline ?? '');
    } else if (name === 't') cell.inText = false;
    else if (name === 'r') cell.inRun = false;
    else if (name === 'rPh') cell.inPhonetic = false;
  }

  text(text: string): void {
    const cell = this.cell;
    if (!cell) return;
    if (cell.inValue) {
      cell.value = text;
      cell.rawValue = text;
    } else if (cell.inInline && !cell.inPhonetic && cell.inText) cell.inline = cell.inRun ? (cell.inline ?? '') + text : text;
  }

  private endCell(): void {
    const cell = this.cell;
    if (!cell) return;
    this.cell = undefined;
    const { row, column } = cell;
    if (row < this.cursor[0] || (row === this.cursor[0] && column <= this.cursor[1])) {
      throw new WorkbookError(`Out-of-place <c/> at row ${row} col ${column} follows <c/> at row ${this.cursor[0]} col ${this.cursor[1]}`);
    }
    this.cursor = [row, column];
    this.rowNumber ??= row;
    this.lastColumn = column;
    if (cell.formula && !(cell.rawValue !== undefined && (cell.rawValue !== '' || cell.type === 'str'))) this.onUnsavedFormula({ row, column: column - 1 });
    const value = this.valueOf(cell);
    if (value === null) return;
    while (this.cells.length < column - 1) this.cells.push(null);
    this.cells.push(value);
  }

  private endRow(): void {
    const number = this.rowNumber ?? this.previousRow + 1;
    if (number <= this.previousRow) throw new WorkbookError(`Out-of-place <row/> number ${number} follows <row/> number ${this.previousRow}`);
    this.previousRow = number;
    this.rowNumber = undefined;
    const cells = this.cells;
    this.cells = [];
    if (cells.length > 0) this.onRow({ index: number - 1, cells });
  }

  /** A cell's value; a cell that cannot hold what it says it holds is an error, named by its place. */
  private valueOf(cell: CellState): SheetCell {
    const invalid = (code: string) => new WorkbookError(`<c/> at row ${cell.row}, col ${cell.column}: ${code}`);
    const text = (value: string) => value.trim() || null;
    const v = cell.value;
    switch (cell.type) {
      case 'str':
        return v ? text(v) : null;
      case 'inlineStr':
        return cell.inline === undefined ? null : text(cell.inline);
      case 's': {
        if (!v) return null;
        const shared = this.context.strings[Number(v)];
        if (shared === undefined) throw invalid('VALUE_INVALID');
        return text(shared);
      }
      case 'b':
        if (!v) return null;
        if (v === '1') return true;
        if (v === '0') return false;
        throw invalid('VALUE_INVALID');
      case 'e':
        return null;
      case 'd': {
        if (!v) return null;
        const date = new Date(v);
        if (Number.isNaN(date.getTime())) throw invalid('VALUE_INVALID');
        return date;
      }
      case 'n': {
        if (!v) return null;
        if (cell.style) {
          const dateStyle = this.context.dateStyles?.[Number(cell.style)];
          if (dateStyle === undefined) throw invalid('FORMAT_INVALID');
          if (dateStyle) {
            const days = Number(v);
            if (Number.isNaN(days)) throw invalid('VALUE_INVALID');
            return new Date(sheetSerialTime(days, this.context.date1904));
          }
        }
        const shown = sheetNumberText(v);
        // What the sheet shows: 00012345 for 12345 in the format 00000000.
        const digits = cell.style === undefined ? undefined : this.context.zeroPaddedStyles?.[Number(cell.style)];
        return digits !== undefined && /^\d+$/.test(shown) ? shown.padStart(digits, '0') : shown;
      }
      default:
        throw invalid('TYPE_INVALID');
    }
  }
}
