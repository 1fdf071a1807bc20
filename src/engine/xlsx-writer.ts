// A workbook (.xlsx) of one sheet, written as it streams: rows go into the sheet's XML as they
// come and out through a streaming ZIP, so a segment of a million customers never sits in
// memory. Text is written as text — a phone number 13800138000 or a customer id 000123 stays
// as it is, where a spreadsheet opening a CSV file turns them into 1.38E+10 and 123 — numbers
// as numbers, and dates and times as date cells, which a spreadsheet shows, sorts and filters as
// such. A cell of text is never a formula, so no text needs guarding.

/**
 * A date, or a date and time, as a sheet holds it: the wall-clock reading it shows, in
 * milliseconds as if it were UTC (a sheet knows no zone), and whether it has a time of day.
 */
export interface SheetTime {
  wallClock: number;
  withTime: boolean;
}

/** A cell: text, a number, a yes/no, a date or a time, or empty. */
export type SheetCell = string | number | boolean | SheetTime | null | undefined;

/** Rows a sheet holds, the header's included (Excel's limit). */
export const MAX_SHEET_ROWS = 1_048_576;
/** Characters a cell holds (Excel's limit); longer text is cut there. */
const MAX_CELL_TEXT = 32_767;

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;

const ROOT_RELATIONSHIPS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

const WORKBOOK_RELATIONSHIPS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;

// Four cell formats: plain (0), the header's bold (1), a date and time (2) and a date (3), written
// as the importer reads them back (`2026-12-01 00:00:00`), whatever the reader's locale.
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

// The header row stays in view while the rows scroll.
const SHEET_START = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`;

/**
 * Widths, in characters, of the columns that hold dates or times: at the default width a
 * spreadsheet shows `2026-12-01 00:00:00` as `########`.
 */
const TIME_COLUMN_WIDTH = { dateTime: 20, date: 12 } as const;
export type SheetColumnKind = keyof typeof TIME_COLUMN_WIDTH;

function columnsXml(kinds: readonly (SheetColumnKind | undefined)[]): string {
  const columns = kinds.flatMap((kind, index) => (kind === undefined ? [] : [`<col min="${index + 1}" max="${index + 1}" width="${TIME_COLUMN_WIDTH[kind]}" customWidth="1"/>`]));
  return columns.length === 0 ? '' : `<cols>${columns.join('')}</cols>`;
}

const DAY_MS = 86_400_000;
/** The serial day of 1970-01-01 in the 1900 date system, which counts 1900 as a leap year. */
const UNIX_EPOCH_SERIAL = 25_569;
/** 1900-03-01: before it, the 1900 system's false 29 February puts a serial a day off. */
const FIRST_TRUE_SERIAL_MS = -2_203_891_200_000;
const SHEET_END = '</sheetData></worksheet>';

function workbook(sheetName: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${escapeXml(sheetTitle(sheetName))}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
}

/** A sheet's name as Excel takes it: at most 31 characters, none of : \ / ? * [ ]. */
function sheetTitle(name: string): string {
  const title = [...name.replace(/[:\\/?*[\]]/g, '_')].slice(0, 31).join('').trim();
  return title === '' ? 'Sheet1' : title;
}

// Characters XML 1.0 cannot hold at all (controls other than tab and line breaks, lone surrogates, U+FFFE/U+FFFF).
// eslint-disable-next-line no-control-regex -- these are the characters it finds
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A (1), Z (26), AA (27) … */
function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function cellXml(cell: SheetCell, reference: string, style: string): string {
  if (cell === null || cell === undefined || cell === '') return '';
  if (typeof cell === 'number' && Number.isFinite(cell)) return `<c r="${reference}"${style}><v>${cell}</v></c>`;
  if (typeof cell === 'boolean') return `<c r="${reference}"${style} t="b"><v>${cell ? 1 : 0}</v></c>`;
  if (typeof cell === 'object') {
    // A date before 1900-03-01 (a birthday of 1900) stays text, which no serial shows rightly.
    if (cell.wallClock >= FIRST_TRUE_SERIAL_MS) return `<c r="${reference}" s="${cell.withTime ? 2 : 3}"><v>${sheetSerial(cell.wallClock)}</v></c>`;
    return cellXml(sheetTimeText(cell), reference, style);
  }
  const whole = String(cell);
  // UTF-16 units are at least as many as characters: only a long text is counted character by character.
  const text = whole.length > MAX_CELL_TEXT ? [...whole].slice(0, MAX_CELL_TEXT).join('') : whole;
  return `<c r="${reference}"${style} t="inlineStr"><is><t xml:space="preserve">${escapeXml(text)}</t></is></c>`;
}

/**
 * The serial days of a wall-clock time, as exact as a floating-point count of days holds it: the
 * importer reads it back to the nearest millisecond (`sheetSerialTime`), and a spreadsheet shows
 * it rounded to the precision of its format.
 */
function sheetSerial(wallClock: number): number {
  return wallClock / DAY_MS + UNIX_EPOCH_SERIAL;
}

/** A date or time as text: `2026-12-01 00:00:00`, its milliseconds only when it has some. */
export function sheetTimeText(cell: SheetTime): string {
  const iso = new Date(cell.wallClock).toISOString();
  if (!cell.withTime) return iso.slice(0, 10);
  return `${iso.slice(0, 10)} ${iso.slice(11, cell.wallClock % 1000 === 0 ? 19 : 23)}`;
}

function rowXml(cells: readonly SheetCell[], rowNumber: number, header: boolean): string {
  const style = header ? ' s="1"' : '';
  return `<row r="${rowNumber}">${cells.map((cell, index) => cellXml(cell, `${columnName(index)}${rowNumber}`, style)).join('')}</row>`;
}

/**
 * The workbook's bytes, chunk by chunk: the header row in bold, then every batch of rows as it
 * arrives; `columnKinds` widens the columns that hold dates or times. The caller keeps to MAX_SHEET_ROWS.
 */
export async function* writeXlsx(
  sheetName: string,
  header: readonly SheetCell[],
  batches: AsyncIterable<readonly (readonly SheetCell[])[]>,
  columnKinds: readonly (SheetColumnKind | undefined)[] = [],
): AsyncGenerator<Uint8Array> {
  // Loaded here, not with the module: every process that can export would load it at its start.
  const { Zip, ZipDeflate, strToU8 } = await import('fflate');
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else out.push(chunk);
  });
  const drain = function* (): Generator<Uint8Array> {
    if (failure) throw failure;
    yield* out.splice(0);
  };
  const whole = (path: string, text: string) => {
    const file = new ZipDeflate(path, { level: 6 });
    zip.add(file);
    file.push(strToU8(text), true);
  };
  whole('[Content_Types].xml', CONTENT_TYPES);
  whole('_rels/.rels', ROOT_RELATIONSHIPS);
  whole('xl/workbook.xml', workbook(sheetName));
  whole('xl/_rels/workbook.xml.rels', WORKBOOK_RELATIONSHIPS);
  whole('xl/styles.xml', STYLES);
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 6 });
  zip.add(sheet);
  sheet.push(strToU8(`${SHEET_START}${columnsXml(columnKinds)}<sheetData>${rowXml(header, 1, true)}`));
  yield* drain();
  let rowNumber = 1;
  for await (const rows of batches) {
    sheet.push(strToU8(rows.map((cells) => rowXml(cells, ++rowNumber, false)).join('')));
    yield* drain();
  }
  sheet.push(strToU8(SHEET_END), true);
  zip.end();
  yield* drain();
}
