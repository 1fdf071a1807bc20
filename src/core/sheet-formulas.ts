// Formula cells a workbook holds without a saved result. A spreadsheet saves a formula with the
// value it last worked out, and readers read that value; a file written by a program (openpyxl,
// a report generator) may hold the formula alone, which reads as an empty cell. The importer
// refuses the rows with such a cell rather than losing what the formula stands for without a word.
// This reads the workbook's XML parts as text; unzipping them is left to the caller.

/** A cell by its place: the sheet row (1-based) and column (0-based). */
export interface SheetCellPlace {
  row: number;
  column: number;
}

/** The attributes of an XML tag's text (`r="B2" t="str"`), by name, the namespace prefix left off. */
function attributesOf(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const name = (match[1] ?? '').replace(/^[\w.-]+:/, '');
    attributes.set(name, match[2] ?? match[3] ?? '');
  }
  return attributes;
}

/** `B12` → row 12, column 1. */
function placeOf(reference: string): SheetCellPlace | undefined {
  const match = /^\$?([A-Z]+)\$?(\d+)$/i.exec(reference);
  if (!match) return undefined;
  let column = 0;
  for (const letter of (match[1] ?? '').toUpperCase()) column = column * 26 + (letter.charCodeAt(0) - 64);
  return { row: Number(match[2]), column: column - 1 };
}

/**
 * The part of a workbook (`xl/worksheets/sheet1.xml`) that holds each of its sheets, in the
 * workbook's order, from `xl/workbook.xml` and its relationships (`xl/_rels/workbook.xml.rels`).
 */
export function sheetParts(workbookXml: string, relationshipsXml: string): string[] {
  const targets = new Map<string, string>();
  for (const match of relationshipsXml.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const attributes = attributesOf(match[1] ?? '');
    const id = attributes.get('Id');
    const target = attributes.get('Target');
    if (id !== undefined && target !== undefined) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  return [...workbookXml.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)].map((match) => targets.get(attributesOf(match[1] ?? '').get('id') ?? '') ?? '');
}

/**
 * The cells of a sheet's XML that hold a formula without a saved result: no value after the
 * formula, or an empty one where the result is not text (`t="str"` with an empty value is a
 * formula that worked out to empty text, a saved result).
 */
export function formulasWithoutResult(sheetXml: string): SheetCellPlace[] {
  const places: SheetCellPlace[] = [];
  for (const match of sheetXml.matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g)) {
    const content = match[2];
    if (content === undefined || !/<(?:\w+:)?f\b/.test(content)) continue;
    const attributes = attributesOf(match[1] ?? '');
    const value = /<(?:\w+:)?v\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?v>)/.exec(content);
    const saved = value !== null && ((value[1] ?? '') !== '' || attributes.get('t') === 'str');
    if (saved) continue;
    const place = placeOf(attributes.get('r') ?? '');
    if (place) places.push(place);
  }
  return places;
}
