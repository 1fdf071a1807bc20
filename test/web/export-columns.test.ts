// The columns an operator adds to the console's exports: kept in the browser as JSON, asked of the
// server as `metrics=` and `fields=` (docs/api.md), and named as the file's columns are headed.
import { describe, expect, it } from 'vitest';
import { EXPORT_FIELD_KEYS } from '../../src/core/export-fields.js';
import { builtInExportFields, exportColumnsQuery, exportFieldName, keepKnownColumns, readExportColumns } from '../../web/src/modules/app/utils/exportColumns.js';

describe('export columns', () => {
  it('reads a kept choice, and anything unreadable as none', () => {
    expect(readExportColumns(null)).toEqual({ metrics: [], fields: [] });
    expect(readExportColumns('{"metrics":["spend_365d","orders_total","spend_365d"],"fields":["birthday",""]}')).toEqual({ metrics: ['spend_365d', 'orders_total'], fields: ['birthday'] });
    expect(readExportColumns('not json')).toEqual({ metrics: [], fields: [] });
    expect(readExportColumns('null')).toEqual({ metrics: [], fields: [] });
    expect(readExportColumns('{"metrics":"spend_365d","fields":[1,"email"]}')).toEqual({ metrics: [], fields: ['email'] });
  });

  it('asks for nothing more without a choice, and for comma-separated keys with one', () => {
    expect(exportColumnsQuery({ metrics: [], fields: [] })).toBe('');
    expect(exportColumnsQuery({ metrics: ['spend_365d', 'orders_total'], fields: [] })).toBe('&metrics=spend_365d%2Corders_total');
    expect(exportColumnsQuery({ metrics: [], fields: ['birthday', '鞋码'] })).toBe(`&fields=birthday%2C${encodeURIComponent('鞋码')}`);
    const asked = new URLSearchParams(`format=csv${exportColumnsQuery({ metrics: ['spend_365d'], fields: ['email', 'shoe_size'] })}`);
    expect(asked.get('metrics')).toBe('spend_365d');
    expect(asked.get('fields')).toBe('email,shoe_size');
  });

  it('leaves out what the workspace no longer has once its lists are read', () => {
    const chosen = { metrics: ['spend_365d', 'gone_metric'], fields: ['birthday', 'shoe_size', 'gone_field'] };
    expect(keepKnownColumns(chosen, undefined, undefined)).toEqual(chosen);
    expect(keepKnownColumns(chosen, ['spend_365d'], ['shoe_size'])).toEqual({ metrics: ['spend_365d'], fields: ['birthday', 'shoe_size'] });
  });

  it('offers every field the server adds, named as its column is headed in each language', () => {
    expect(builtInExportFields('zh-CN').map((field) => field.key)).toEqual(EXPORT_FIELD_KEYS);
    expect(builtInExportFields('zh-CN').find((field) => field.key === 'birthday')).toEqual({ key: 'birthday', name: '生日', identity: false });
    expect(builtInExportFields('en-US').find((field) => field.key === 'member_card')).toEqual({ key: 'member_card', name: 'Member card', identity: true });
    expect(exportFieldName('email', 'zh-CN', undefined)).toBe('邮箱');
    expect(exportFieldName('shoe_size', 'en-US', [{ key: 'shoe_size', name: '鞋码' }])).toBe('鞋码');
    expect(exportFieldName('gone_field', 'en-US', [])).toBe('gone_field');
  });
});
