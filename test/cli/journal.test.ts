// `tagbase journal list` and `tagbase journal retry`: the event journal from the terminal, as GET
// /events/journal answers it and POST /events/journal/{batch}/retry changes it, on SQLite and
// PostgreSQL: what is pending, the batches that failed every try, and one applied again.
import { describe, expect, it, vi } from 'vitest';
import { JOURNAL_MAX_ATTEMPTS, journalEvents } from '../../src/engine/event-journal.js';
import { openWorkspace } from '../../src/engine/workspaces.js';
import { openStore } from '../../src/store/connect.js';
import { storeKinds } from '../support/stores.js';
import { apiAnswer } from './api-answer.js';
import { commandStore } from './own-store.js';

vi.setConfig({ testTimeout: 120_000 });

const CHINESE = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

const order = (id: string, customer: string) => ({
  id,
  customer_id: customer,
  type: 'order_paid',
  occurred_at: '2026-06-01T08:00:00Z',
  properties: { order_id: `O-${id}`, amount: 199, channel: 'online', items: [{ sku: 'SKU1', category: '服装', price: 199, quantity: 1 }] },
});

/**
 * Accepts batches into the journal as `POST /events` with `Prefer: respond-async` does, and sets
 * the `failing` ones aside as a batch is once it has failed its every try. Returns the batches' ids.
 */
async function accept(database: string, batches: number, failing: number, prefix: string): Promise<number[]> {
  const store = await openStore(database);
  try {
    const context = await openWorkspace(store, 'default', 'api', () => new Date());
    const ids: number[] = [];
    for (let k = 0; k < batches; k++) ids.push((await journalEvents(context, [order(`${prefix}${k}a`, 'R1'), order(`${prefix}${k}b`, 'R2')])).batch);
    await store.db.updateTable('event_journal').set({ status: 'failed', attempts: JOURNAL_MAX_ATTEMPTS, error: 'refused by the store', failed_at: Date.now() }).where('id', 'in', ids.slice(0, failing)).execute();
    return ids;
  } finally {
    await store.close();
  }
}

for (const kind of storeKinds()) {
  describe(`tagbase journal [${kind}]`, () => {
    const { url, run, json } = commandStore(kind, 'journal', 'id,name,city\nR1,张伟,上海\nR2,李娜,上海\n');


    it('lists what is pending and the batches that failed every try, as GET /events/journal answers it', async () => {
      expect(await run(['journal', 'list'])).toMatchObject({ code: 0, stderr: '', stdout: 'no accepted event batch is waiting to be applied\nno batch failed\n' });
      expect(await json(['journal', 'list'])).toEqual(await apiAnswer(url(), '/events/journal'));

      const [failed, pending] = await accept(url(), 2, 1, 'J');
      const english = await run(['journal', 'list']);
      expect([english.code, english.stderr]).toEqual([0, '']);
      expect(english.stdout).toMatch(
        new RegExp(`^1 accepted event batch pending, 2 events, the oldest accepted \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}\\n1 batch failed every try and was set aside, latest first:\\n#${failed} {2}\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} {2}2 events {2}${JOURNAL_MAX_ATTEMPTS} tries {2}refused by the store\\nonce what failed them is mended, tagbase journal retry ID applies one again\\n\\(times in UTC\\+08:00\\)\\n$`),
      );
      const chinese = await run(['journal', 'list'], CHINESE);
      expect(chinese.stdout).toMatch(new RegExp(`^1 个已接收的事件批次尚未应用，共 2 条事件，最早的接收于 .+\\n1 个批次多次应用失败，已搁置，最新的在前：\\n#${failed} .+ 2 条事件 {2}尝试 ${JOURNAL_MAX_ATTEMPTS} 次 {2}refused by the store\\n排除失败原因后，用 tagbase journal retry ID 重新应用\\n（时间为 UTC\\+08:00）\\n$`));
      const answer = await json(['journal', 'list']);
      expect(answer).toEqual(await apiAnswer(url(), '/events/journal'));
      expect(answer).toMatchObject({ pending_batches: 1, pending_events: 2, failed_batches: 1, failed: [{ batch: failed, status: 'failed' }] });
      expect(pending).toBeGreaterThan(failed ?? 0);

      expect(await run(['journal', 'list', '-w', 'nosuch'])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('WORKSPACE_NOT_FOUND') as unknown });
    });

    it('puts a batch that failed every try back in line and applies it, as POST /events/journal/{batch}/retry does', async () => {
      const [failed, other] = await accept(url(), 2, 2, 'K');
      const retried = await run(['journal', 'retry', String(failed), '-a', '运维-老陈']);
      expect(retried).toMatchObject({ code: 0, stderr: '', stdout: `applied batch #${failed}: 2 events stored, 0 duplicates, 0 customers created, 0 tag changes\n` });
      // Only that batch: the other stays set aside.
      const left = (await json(['journal', 'list'])) as { failed: { batch: number }[] };
      expect(left.failed.map(({ batch }) => batch)).toContain(other);
      expect(left.failed.map(({ batch }) => batch)).not.toContain(failed);
      expect(await json(['journal', 'retry', String(other)])).toEqual(await apiAnswer(url(), `/events/journal/${other}`));
      expect(await apiAnswer(url(), `/events/journal/${other}`)).toMatchObject({ status: 'applied', attempts: 1, error: null, result: { stored: 2, duplicates: 0 } });
      const trail = (await json(['audit', '-n', '2'])) as { items: { actor: string; action: string; target: string }[] };
      expect(trail.items.map(({ actor, action, target }) => [actor, action, target])).toEqual([
        ['cli', 'journal retry', `#${other}`],
        ['运维-老陈', 'journal retry', `#${failed}`],
      ]);

      // A batch that has not failed is left as it is; one that is not there is said so.
      expect(await run(['journal', 'retry', String(failed)], CHINESE)).toMatchObject({ code: 0, stdout: `批次 #${failed} 已经应用过，未作改动\n` });
      expect(await run(['journal', 'retry', '999999'])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('JOURNAL_BATCH_NOT_FOUND') as unknown });
      expect(await run(['journal', 'retry', '0'])).toMatchObject({ code: 1, stdout: '' });
    });
  });
}
