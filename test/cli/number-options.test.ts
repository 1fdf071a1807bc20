// Numbers on the command line (counts, offsets, ids, days): written as people write them and
// within what the store and the clock can hold, or refused as the option's own line, before
// anything is read or written. A number past 2^53 reached SQLite as a float its integers refuse
// ("datatype mismatch") and PostgreSQL as one its bigint refuses; an expiry days ahead past any
// date was stored, and the customer's portrait could not be read again ("Invalid time value").
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storeKinds, type StoreKind } from '../support/stores.js';
import { ownStore } from './own-store.js';
import { ENGLISH, tagbaseHere } from './run-tagbase.js';

const CHINESE = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
const HUGE = '99999999999999999999';

const newStore = (kind: StoreKind, dir: string) => ownStore(kind, dir, 't_numbers');

for (const kind of storeKinds()) {
  describe(`number options [${kind}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagbase-numbers-'));
    let store: Awaited<ReturnType<typeof newStore>> | undefined;
    afterAll(async () => {
      await store?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });
    const run = (args: string[], env = ENGLISH) => tagbaseHere([...args, '--database', store?.url ?? ''], env);
    /** The command's first error line, once it is sure to have refused and printed nothing else. */
    const refusal = async (args: string[], env = ENGLISH) => {
      const ran = await run(args, env);
      expect([ran.code, ran.stdout]).toEqual([1, '']);
      return ran.stderr.split('\n')[0];
    };

    it('refuses an expiry past what a date can hold, stores nothing, and the portrait still reads', async () => {
      store = await newStore(kind, dir);
      expect((await run(['migrate'])).code).toBe(0);
      expect((await run(['template', 'apply', 'retail'])).code).toBe(0);
      const customers = join(dir, 'customers.csv');
      writeFileSync(customers, 'id,name\nC1,张伟\n');
      expect((await run(['import', 'customers', customers])).code).toBe(0);

      expect(await refusal(['tag', 'assign', '重点关怀', '是', 'C1', '--expires-in', HUGE])).toBe(`error: option '--expires-in <days>' argument '${HUGE}' is invalid. must be a whole number from 1 to 36,500`);
      expect(await refusal(['tag', 'assign', '重点关怀', '是', 'C1', '--expires-in', '36501'], CHINESE)).toBe('错误：选项 --expires-in <days> 的取值「36501」无效：必须是 1 到 36,500 之间的整数');
      const shown = await run(['customer', 'show', 'C1', '--json']);
      expect(shown.code).toBe(0);
      expect(JSON.parse(shown.stdout)).toMatchObject({ id: 'C1', tags: [] });

      // A hundred years ahead is a date, and reads back.
      expect((await run(['tag', 'assign', '重点关怀', '是', 'C1', '--expires-in', '36500'])).code).toBe(0);
      const tagged = await run(['customer', 'show', 'C1', '--json']);
      expect(tagged.code).toBe(0);
      expect((JSON.parse(tagged.stdout) as { tags: { label: string; expires_at: string }[] }).tags).toEqual([expect.objectContaining({ label: '重点关怀: 是', expires_at: expect.stringMatching(/^21\d\d-/) })]);
    });

    it('refuses counts, offsets and ids past 2^53 − 1 as the option, not in the store\'s words', async () => {
      const most = '9,007,199,254,740,991';
      expect(await refusal(['customer', 'show', 'C1', '-n', HUGE])).toBe(`error: option '-n, --recent <count>' argument '${HUGE}' is invalid. must be a whole number from 0 to ${most}`);
      expect(await refusal(['care', 'reminders', '-o', HUGE])).toBe(`error: option '-o, --offset <count>' argument '${HUGE}' is invalid. must be a whole number from 0 to ${most}`);
      expect(await refusal(['tag', 'undo', HUGE], CHINESE)).toBe(`错误：参数 operation 的取值「${HUGE}」无效：必须是 1 到 ${most} 之间的整数`);
      expect(await refusal(['webhook', 'remove', HUGE])).toBe(`error: command-argument value '${HUGE}' is invalid for argument 'id'. must be a whole number from 1 to ${most}`);
      expect(await refusal(['doctor', '--min-members', HUGE])).toBe(`error: option '--min-members <n>' argument '${HUGE}' is invalid. must be a whole number from 1 to ${most}`);
      expect(await refusal(['care', 'done', HUGE])).toBe(`error VALIDATION_FAILED: "${HUGE}" is not a reminder number such as 12`);
      // The largest is still a number the stores take: nothing has it.
      expect((await run(['tag', 'undo', '9007199254740991'])).stderr).toMatch(/^error TAGGING_OPERATION_NOT_FOUND: /);
    });

    it('refuses a token lasting longer than its help says (at most 3650 days) as the option, before the store is opened', async () => {
      expect(await refusal(['token', 'create', '临时-小张', '--role', 'viewer', '--expires-in', '3651'])).toBe("error: option '--expires-in <days>' argument '3651' is invalid. must be a whole number from 1 to 3,650");
      expect(await refusal(['token', 'create', '临时-小张', '--role', 'viewer', '--expires-in', HUGE], CHINESE)).toBe(`错误：选项 --expires-in <days> 的取值「${HUGE}」无效：必须是 1 到 3,650 之间的整数`);
      // Said of the option, not of a store that cannot be reached: it was opened first, and the engine refused the number.
      const unreachable = await tagbaseHere(['token', 'create', '临时-小张', '--role', 'viewer', '--expires-in', '3651', '--database', join(dir, 'missing', 'store.db')], ENGLISH);
      expect(unreachable.stderr.split('\n')[0]).toBe("error: option '--expires-in <days>' argument '3651' is invalid. must be a whole number from 1 to 3,650");
      expect((await run(['token', 'create', '临时-小张', '--role', 'viewer', '--expires-in', '3650'])).code).toBe(0);
      expect((await run(['token', 'revoke', '临时-小张', '--yes'])).code).toBe(0);
    });

    it('refuses a page longer than its help says (at most 500), as the API does, rather than showing 500 unsaid', async () => {
      expect(await refusal(['audit', '-n', '501'])).toBe("error: option '-n, --limit <count>' argument '501' is invalid. must be a whole number from 1 to 500");
      expect(await refusal(['care', 'reminders', '-n', '501'], CHINESE)).toBe('错误：选项 -n, --limit <count> 的取值「501」无效：必须是 1 到 500 之间的整数');
      expect((await run(['audit', '-n', '500'])).code).toBe(0);
      expect((await run(['care', 'reminders', '-n', '500'])).code).toBe(0);
    });

    it('reads decimal digits only: not 0x10, 1e3 or an empty word, which Number() reads as 16, 1000 and 0', async () => {
      expect(await refusal(['customer', 'show', 'C1', '-n', '0x10'])).toBe("error: option '-n, --recent <count>' argument '0x10' is invalid. must be a whole number, 0 or more");
      expect(await refusal(['customer', 'find', '张', '--offset', ''])).toBe("error: option '--offset <count>' argument '' is invalid. must be a whole number, 0 or more");
      expect(await refusal(['audit', '-n', '1e3'])).toBe("error: option '-n, --limit <count>' argument '1e3' is invalid. must be a whole number from 1 to 500");
      expect(await refusal(['care', 'snooze', '0x16', '1h'])).toBe('error VALIDATION_FAILED: "0x16" is not a reminder number such as 12');
      expect((await run(['customer', 'show', 'C1', '-n', '007'])).code).toBe(0);
    });

    it("refuses a snooze that is no time ahead in the words of the command's argument, not of the API's snooze field", async () => {
      expect(await refusal(['care', 'snooze', '1', '2x'])).toBe('error VALIDATION_FAILED: "2x" is not a time ahead like 1h, 3h or 1d (at most 366 days)');
      expect(await refusal(['care', 'snooze', '1', '400d'], CHINESE)).toBe('错误 VALIDATION_FAILED：「400d」不是往后推的时长，应如 1h、3h 或 1d（最多 366 天）');
      // A time ahead passes on to the reminder, which is not there.
      expect(await refusal(['care', 'snooze', '1', '3h'])).toMatch(/^error CARE_REMINDER_NOT_FOUND: /);
    });
  });
}
