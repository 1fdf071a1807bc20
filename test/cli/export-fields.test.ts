// `tagbase segment export --fields`: the customers' other fields as columns after the metrics,
// headed by names the importer reads, so the file imports again; an unknown field is refused.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { storeKinds } from '../support/stores.js';
import { commandStore } from './own-store.js';

vi.setConfig({ testTimeout: 120_000 });

const CHINESE = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

for (const kind of storeKinds()) {
  describe(`tagbase segment export --fields [${kind}]`, () => {
    const { run } = commandStore(kind, 'export-fields', 'id,name,city,birthday,email,occupation,first_seen_at\nF1,张伟,上海,1990-05-17,zhang.wei@example.com,教师,2026-03-01 08:30\nF2,李娜,北京,,,,\n');

    it('writes the fields asked for after the metrics, by key', async () => {
      const exported = await run(['segment', 'export', 'city = "上海"', '-m', 'orders_total', '--fields', 'birthday,email,occupation']);
      expect(exported.code, exported.stderr).toBe(0);
      const [header, row] = exported.stdout.replace('\uFEFF', '').split('\r\n');
      expect(header?.split(',').slice(-4)).toEqual(['orders_total', 'birthday', 'email', 'occupation']);
      expect(row?.split(',').slice(-3)).toEqual(['1990-05-17', 'zhang.wei@example.com', '教师']);
    });

    it('heads them in Chinese as the importer reads them, so the file imports again as it stands', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tagbase-export-fields-'));
      const file = join(dir, '上海.csv');
      expect((await run(['segment', 'export', 'city = "上海"', '--fields', 'birthday,email', '--header', 'names', '-o', file], CHINESE)).code).toBe(0);
      expect(readFileSync(file, 'utf8').split('\r\n')[0]?.split(',').slice(-2)).toEqual(['生日', '邮箱']);
      const imported = await run(['import', 'customers', file]);
      expect(imported.code, imported.stderr + imported.stdout).toBe(0);
    });

    it('writes times on the workspace\'s clock in a file headed for people, and in UTC headed by keys', async () => {
      const people = await run(['segment', 'export', 'city = "上海"', '--fields', 'first_seen_at,birthday', '--header', 'names']);
      expect(people.code, people.stderr).toBe(0);
      expect(people.stdout.replace('\uFEFF', '').split('\r\n')[1]?.split(',').slice(-2)).toEqual(['2026-03-01 08:30:00', '1990-05-17']);
      const keys = await run(['segment', 'export', 'city = "上海"', '--fields', 'first_seen_at,birthday']);
      expect(keys.stdout.replace('\uFEFF', '').split('\r\n')[1]?.split(',').slice(-2)).toEqual(['2026-03-01T00:30:00.000Z', '1990-05-17']);
    });

    it('refuses a field the customers do not have, suggesting the one meant', async () => {
      const refused = await run(['segment', 'export', 'city = "上海"', '--fields', 'emial']);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('"emial" is not a customer field');
      expect(refused.stderr).toContain('email');
    });

    it('says --fields in its help', async () => {
      expect((await run(['segment', 'export', '--help'])).stdout).toContain('--fields <keys>');
    });
  });
}
