import { describe, expect, it } from 'vitest';
import { parseRows, type RawRow } from '../../src/engine/imports.js';

async function rowsOf(text: string): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for await (const row of parseRows(text, 'csv')) rows.push(row);
  return rows;
}

/** Each row as its id, or as the line it stopped at and the reason why. */
function shapes(rows: RawRow[]): unknown[] {
  return rows.map((row) => (row.problem ? { line: row.line, reason: row.problem.reason } : { line: row.line, id: row.record.id }));
}

describe('a CSV file that cannot be read past a line', () => {
  it('keeps the rows before a stray quote in an unquoted cell, and reads none after it', async () => {
    const rows = await rowsOf('id,name\nU1,one\nU2,"two\nlines"\nU3,bad"quote\nU4,after\n');
    expect(shapes(rows)).toEqual([
      { line: 2, id: 'U1' },
      { line: 3, id: 'U2' },
      { line: 5, reason: 'unreadable_from_here' },
    ]);
  });

  it('keeps the rows before a quote left open at the end of the file', async () => {
    const rows = await rowsOf('id,name\nU1,one\nU2,"open\n');
    expect(shapes(rows)).toEqual([
      { line: 2, id: 'U1' },
      { line: 3, reason: 'unreadable_from_here' },
    ]);
  });

  it('says a quote left open stops the file at the line it opens on, not at the end of the file', async () => {
    for (const breakText of ['\n', '\r\n']) {
      const rows = await rowsOf(['id,name', 'U1,one', 'U2,"open', 'U3,three', 'U4,four', ''].join(breakText));
      expect(shapes(rows)).toEqual([
        { line: 2, id: 'U1' },
        { line: 3, reason: 'unreadable_from_here' },
      ]);
    }
  });

  it('keeps thousands of rows read in the same piece of the file as the line it stops at', async () => {
    const lines = ['id,name', ...Array.from({ length: 3000 }, (_, i) => `B${i},n${i}`), 'BX,bad"q', 'BY,after'];
    const rows = await rowsOf(`${lines.join('\n')}\n`);
    expect(rows).toHaveLength(3001);
    expect(shapes(rows.slice(-2))).toEqual([
      { line: 3001, id: 'B2999' },
      { line: 3002, reason: 'unreadable_from_here' },
    ]);
  });
});

describe('a CSV file as a spreadsheet saves it', () => {
  it('reads a header ending in several empty columns, as one saved with empty formatted columns has it', async () => {
    const rows = await rowsOf('id,name,,,\r\nE1,one,,,\r\n,,,,\r\n');
    expect(rows).toEqual([{ line: 2, record: { id: 'E1', name: 'one' } }]);
  });

  it('rejects a row with a value in a column without a heading, naming its place, and keeps its cells', async () => {
    const rows = await rowsOf('id,name,,note,\r\nE1,x,hello,n1,\r\nE2,y,,n2,\r\nE3,z,a,,b\r\n');
    expect(rows).toEqual([
      { line: 2, problem: { reason: 'cells_without_heading', params: { positions: [3] } }, cells: { id: 'E1', name: 'x', note: 'n1' }, cellsWithoutHeading: { 3: 'hello' } },
      { line: 3, record: { id: 'E2', name: 'y', note: 'n2' } },
      { line: 4, problem: { reason: 'cells_without_heading', params: { positions: [3, 5] } }, cells: { id: 'E3', name: 'z' }, cellsWithoutHeading: { 3: 'a', 5: 'b' } },
    ]);
  });

  it('still refuses a heading written twice', async () => {
    await expect(rowsOf('id,name,name\nE1,a,b\n')).rejects.toThrow('column "name" appears twice in the header');
  });
});
