// A tag "valid until 31 December" (有效期至 2026-12-31) is held through the 31st on the
// workspace's clock and gone at the first minute of 1 January: an expiry written as a date alone
// names the whole of that day, over the API, in an import file and by the command line's import.
// A time of day, or an offset, keeps its exact meaning.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runImport } from '../../src/cli/import/run-import.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { sweepExpiredAssignments } from '../../src/engine/tagging.js';
import { useServer } from '../api/support.js';
import { defineTag, interests } from '../engine/support.js';
import { forEachStore, it, type StoreHarness } from '../support/stores.js';

/** 23:59 on 2026-12-31 in China (UTC+8), then the first minute of 2027-01-01 there. */
const LAST_MINUTE = '2026-12-31T15:59:00Z';
const NEXT_DAY = '2026-12-31T16:00:00Z';

forEachStore('an expiry given as a day lasts the whole of that day', (h) => {
  const api = useServer(h);

  const expiryOf = async (id: string) => ((await api.get(`/api/v1/customers/${id}`)).body.tags as { expires_at: string | null }[]).map((tag) => tag.expires_at);
  /** Who of `ids` holds a tag at the clock's time, expired assignments swept as the scheduler sweeps them. */
  const holders = async (ids: readonly string[]) => {
    await sweepExpiredAssignments(h.context());
    const held: string[] = [];
    for (const id of ids) if (((await api.get(`/api/v1/customers/${id}`)).body.tags as unknown[]).length > 0) held.push(id);
    return held;
  };
  const heldThroughTheDay = async (ids: readonly string[]) => {
    h.clock.set(LAST_MINUTE);
    expect(await holders(ids)).toEqual(ids);
    h.clock.set(NEXT_DAY);
    expect(await holders(ids)).toEqual([]);
  };

  it('over the API: tagging one customer, bulk tagging and tagging a segment', async () => {
    // 10:00 on 2026-12-06 in China.
    h.clock.set('2026-12-06T02:00:00Z');
    await api.post('/api/v1/customers', { customers: ['C1', 'C2', 'C3', 'C4', 'C5', 'C6'].map((id) => ({ id })) });
    await api.post('/api/v1/tags', interests);
    expect((await api.post('/api/v1/customers/C1/tags', { tag: 'interests', value: 'golf', expires_at: '2026-12-31' })).body).toMatchObject({ added: 1 });
    expect((await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C2'], expires_at: '2026-12-31' })).body).toMatchObject({ added: 1 });
    expect((await api.post('/api/v1/segments/tag', { expression: 'id = "C3"', tag: 'interests', value: 'golf', expires_at: '2026-12-31' })).body).toMatchObject({ added: 1 });
    // A time of day, or an offset, is exactly that instant: midnight at the start of the 31st.
    await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C4'], expires_at: '2026-12-31T00:00:00' });
    await api.post('/api/v1/tags/interests/assign', { value: 'golf', customers: ['C5'], expires_at: '2026-12-31 00:00+08:00' });
    expect(await Promise.all(['C1', 'C2', 'C3', 'C4', 'C5'].map(expiryOf))).toEqual([
      ['2026-12-31T16:00:00.000Z'],
      ['2026-12-31T16:00:00.000Z'],
      ['2026-12-31T16:00:00.000Z'],
      ['2026-12-30T16:00:00.000Z'],
      ['2026-12-30T16:00:00.000Z'],
    ]);
    // Today as an expiry is the rest of today; yesterday has passed.
    expect((await api.post('/api/v1/customers/C6/tags', { tag: 'interests', value: 'golf', expires_at: '2026-12-06' })).body).toMatchObject({ added: 1 });
    expect(await expiryOf('C6')).toEqual(['2026-12-06T16:00:00.000Z']);
    expect((await api.post('/api/v1/customers/C6/tags', { tag: 'interests', value: 'fishing', expires_at: '2026-12-05' })).body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'expires_at' })] });
    await heldThroughTheDay(['C1', 'C2', 'C3']);
  });

  it('on the workspace\'s clock, wherever that is', async () => {
    // New York in winter, UTC−5: the 31st ends at 05:00 UTC on 1 January.
    expect((await api.patch('/api/v1/workspace', { utc_offset_minutes: -300 })).status).toBe(200);
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    await api.post('/api/v1/tags', interests);
    await api.post('/api/v1/customers/C1/tags', { tag: 'interests', value: 'golf', expires_at: '2026-12-31' });
    expect(await expiryOf('C1')).toEqual(['2027-01-01T05:00:00.000Z']);
    // The whole of 9999-12-31 there ends past the latest expiry: too late, over the API and in a file alike.
    expect((await api.post('/api/v1/customers/C1/tags', { tag: 'interests', value: 'fishing', expires_at: '9999-12-31' })).body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'expires_at', message: expect.stringContaining('no later than 9999-12-31T23:59:59Z') })] });
    const late = await api.post('/api/v1/imports/assignments', { text: 'customer_id,tag,value,expires_at\nC1,interests,fishing,9999/12/31\n' }, { 'accept-language': 'en' });
    expect(late.body).toMatchObject({ accepted: 0, rejections: [expect.objectContaining({ reason: expect.stringContaining('expires_at "9999/12/31" is past the year 9999') })] });
  });

  it('in an import file, however a spreadsheet writes the day, CSV or JSON Lines', async () => {
    h.clock.set('2026-12-06T02:00:00Z');
    await api.post('/api/v1/customers', { customers: ['C1', 'C2', 'C3', 'C4', 'C5'].map((id) => ({ id })) });
    await api.post('/api/v1/tags', interests);
    const csv = ['客户,标签,标签值,有效期至', 'C1,interests,golf,2026-12-31', 'C2,interests,golf,2026/12/31', 'C3,interests,golf,2026年12月31日', 'C4,interests,golf,2026/12/31 00:00'].join('\n');
    expect((await api.post('/api/v1/imports/assignments', { text: csv })).body).toMatchObject({ accepted: 4, rejected: 0 });
    const jsonl = JSON.stringify({ customer_id: 'C5', tag: 'interests', value: 'golf', expires_at: '2026-12-31' });
    expect((await api.post('/api/v1/imports/assignments', { text: jsonl, format: 'jsonl' })).body).toMatchObject({ accepted: 1, rejected: 0 });
    expect(await Promise.all(['C1', 'C2', 'C3', 'C4', 'C5'].map(expiryOf))).toEqual([
      ['2026-12-31T16:00:00.000Z'],
      ['2026-12-31T16:00:00.000Z'],
      ['2026-12-31T16:00:00.000Z'],
      // A time of day written in the cell, midnight too, is that minute.
      ['2026-12-30T16:00:00.000Z'],
      ['2026-12-31T16:00:00.000Z'],
    ]);
    // Today in a file is the rest of today, as over the API; yesterday has passed.
    const days = await api.post('/api/v1/imports/assignments', { text: '客户,标签,标签值,到期时间\nC1,interests,fishing,2026-12-06\nC1,interests,yoga,2026/12/5\n' }, { 'accept-language': 'zh-CN' });
    expect(days.body).toMatchObject({ accepted: 1, rejected: 1, rejections: [expect.objectContaining({ line: 3, reason: '到期时间「2026/12/5」已经过去；到期时间须在将来' })] });
    await heldThroughTheDay(['C1', 'C2', 'C3', 'C5']);
  });

  it('by the command line\'s import', async () => {
    h.clock.set('2026-12-06T02:00:00Z');
    await importedThroughTheDay(h);
  });
});

/** `tagbase import assignments` of a file whose 过期时间 is a date alone: held at 23:59 on the day, gone at the next day's start. */
async function importedThroughTheDay(h: StoreHarness): Promise<void> {
  const ctx = h.context('运营-小李');
  await defineTag(ctx, interests);
  const directory = mkdtempSync(join(tmpdir(), 'tagbase-expiry-day-'));
  const customers = join(directory, 'customers.csv');
  writeFileSync(customers, 'id\nC1\nC2\n');
  const assignments = join(directory, 'assignments.csv');
  writeFileSync(assignments, '客户,标签,标签值,过期时间\nC1,interests,golf,2026/12/31\nC2,interests,golf,2026-12-31 08:00\n');
  const options = (kind: 'customers' | 'assignments', path: string) => ({ kind, path, format: 'csv' as const, reportPath: `${path}.rejected.csv`, batchSize: 100, progress: false });
  await runImport(ctx, options('customers', customers));
  expect(await runImport(ctx, options('assignments', assignments))).toMatchObject({ accepted: 2, rejected: 0 });
  const expiry = async (id: string) => (await getPortrait(ctx, id)).tags.map((tag) => tag.expires_at);
  expect([await expiry('C1'), await expiry('C2')]).toEqual([['2026-12-31T16:00:00.000Z'], ['2026-12-31T00:00:00.000Z']]);
  h.clock.set(LAST_MINUTE);
  expect(await sweepExpiredAssignments(ctx)).toBe(1);
  expect((await getPortrait(ctx, 'C1')).tags).toHaveLength(1);
  h.clock.set(NEXT_DAY);
  expect(await sweepExpiredAssignments(ctx)).toBe(1);
  expect((await getPortrait(ctx, 'C1')).tags).toEqual([]);
}
