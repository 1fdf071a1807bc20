import { expect } from 'vitest';
import { sql } from 'kysely';
import { forEachStore, it } from '../support/stores.js';
import { findCustomerByIdentity, listCustomers, upsertCustomers } from '../../src/engine/customers.js';
import { createCustomField } from '../../src/engine/fields.js';
import { importRows, parseRows } from '../../src/engine/imports.js';
import { indexAudience } from '../../src/index/audience.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { updateTag } from '../../src/engine/library.js';
import { assignTag } from '../../src/engine/tagging.js';
import { defineTag, interests, rejected } from './support.js';

forEachStore('customers', (h) => {
  it('allows a first_seen_at up to a day ahead of the clock at each call, late in a day as early in it', async () => {
    const ctx = h.context();
    h.clock.set('2026-06-15T01:00:00Z');
    await upsertCustomers(ctx, [{ id: 'EARLY', first_seen_at: '2026-06-16T00:30:00Z' }]);
    // Later the same day: a day ahead reaches further than it did at the first call.
    h.clock.set('2026-06-15T22:00:00Z');
    expect(await upsertCustomers(ctx, [{ id: 'LATE', first_seen_at: '2026-06-16T20:00:00Z' }])).toMatchObject({ created: 1 });
    expect(await rejected(upsertCustomers(ctx, [{ id: 'AHEAD', first_seen_at: '2026-06-16T23:00:00Z' }]))).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('creates, then updates only the fields given', async () => {
    const ctx = h.context();
    const first = await upsertCustomers(ctx, [
      { id: 'C1', name: '张伟', type: '个人', gender: '男', city: '广州', birthday: '1990-05-17', identities: [{ kind: 'phone', value: '+86 138-0013-8000' }] },
    ]);
    expect(first).toMatchObject({ received: 1, created: 1, updated: 0 });
    const second = await upsertCustomers(ctx, [{ id: 'C1', city: '深圳', occupation: null }]);
    expect(second).toMatchObject({ created: 0, updated: 1 });
    const portrait = await getPortrait(ctx, 'C1');
    expect(portrait).toMatchObject({ id: 'C1', name: '张伟', type: 'individual', gender: 'male', city: '深圳', birthday: '1990-05-17' });
    expect(portrait.identities).toEqual([{ kind: 'phone', value: '13800138000' }]);
  });

  it('finds a customer by any identity, normalised', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1', identities: [{ kind: 'email', value: 'Li.Na@Example.com' }, { kind: 'wechat_unionid', value: 'oU_123' }] }]);
    expect((await findCustomerByIdentity(ctx, 'email', 'li.na@example.COM')).id).toBe('C1');
    expect((await findCustomerByIdentity(ctx, 'wechat_unionid', 'oU_123')).id).toBe('C1');
    expect((await rejected(findCustomerByIdentity(ctx, 'phone', '13900000000'))).code).toBe('CUSTOMER_NOT_FOUND');
  });

  it('rejects a whole batch when one identity belongs to someone else, and stores nothing', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1', identities: [{ kind: 'phone', value: '13800138000' }] }]);
    const error = await rejected(
      upsertCustomers(ctx, [
        { id: 'C2', name: '李娜' },
        { id: 'C3', identities: [{ kind: 'phone', value: '13800138000' }] },
      ]),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.items?.[0]).toMatchObject({ index: 1, code: 'IDENTITY_CONFLICT' });
    expect((await listCustomers(ctx, { limit: 10, offset: 0 })).total).toBe(1);
  });

  it('rejects two customers of one batch claiming the same identity', async () => {
    const ctx = h.context();
    const error = await rejected(
      upsertCustomers(ctx, [
        { id: 'C1', identities: [{ kind: 'email', value: 'a@b.cn' }] },
        { id: 'C2', identities: [{ kind: 'email', value: 'A@B.cn' }] },
      ]),
    );
    expect(error.items?.map((e) => e.code)).toEqual(['IDENTITY_CONFLICT']);
  });

  it('writes batches that arrive while another is written as one, each answered with its own counts', async () => {
    const writes: number[][] = [];
    const ctx = { ...h.context(), observer: { customersChanged: (_workspace: number, ids: readonly number[]) => void writes.push([...ids]), catalogChanged: () => undefined } };
    // The first is written at once; the rest wait for it and are written together. Which of two
    // batches naming C2 comes first is the order they reach the queue: one creates it, the other updates it.
    // On PostgreSQL each batch reads the field declarations over the socket before it queues, so
    // the first write is held long enough for the rest to arrive during it.
    if (h.kind === 'postgres') {
      await sql`create function hold_first() returns trigger language plpgsql as $$ begin if new.external_id = 'C1' then perform pg_sleep(1); end if; return new; end $$`.execute(ctx.store.db);
      await sql`create trigger hold_first before insert on customers for each row execute function hold_first()`.execute(ctx.store.db);
    }
    const results = await Promise.all([
      upsertCustomers(ctx, [{ id: 'C1', name: '张伟' }]),
      upsertCustomers(ctx, [{ id: 'C2', city: '上海' }, { id: 'C3' }]),
      upsertCustomers(ctx, [{ id: 'C2', city: '上海' }, { id: 'C4' }]),
      upsertCustomers(ctx, [{ id: 'C5' }]),
    ]);
    expect(results[0]).toEqual({ received: 1, created: 1, updated: 0, unchanged: 0, rejected: [] });
    expect(results[3]).toEqual({ received: 1, created: 1, updated: 0, unchanged: 0, rejected: [] });
    expect([results[1], results[2]].map((result) => [result?.created, result?.updated]).sort()).toEqual([
      [1, 1],
      [2, 0],
    ]);
    if (h.kind === 'postgres') await sql`drop trigger hold_first on customers`.execute(ctx.store.db);
    expect(writes.map((ids) => ids.length)).toEqual([1, 4]);
    const listed = await listCustomers(ctx, { limit: 10, offset: 0 });
    expect(listed.items.map((customer) => [customer.id, customer.city]).sort()).toEqual([
      ['C1', null],
      ['C2', '上海'],
      ['C3', null],
      ['C4', null],
      ['C5', null],
    ]);
  });

  it('refuses one batch of a group claiming an identity already held, and writes the others', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C0', identities: [{ kind: 'phone', value: '13800138000' }] }]);
    const outcomes = await Promise.allSettled([
      upsertCustomers(ctx, [{ id: 'C6' }]),
      upsertCustomers(ctx, [{ id: 'C5', identities: [{ kind: 'phone', value: '13800138000' }] }]),
      upsertCustomers(ctx, [{ id: 'C7' }]),
    ]);
    expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.created : outcome.reason.items?.[0]?.code))).toEqual([1, 'IDENTITY_CONFLICT', 1]);
    const listed = await listCustomers(ctx, { limit: 10, offset: 0 });
    expect(listed.items.map((customer) => customer.id).sort()).toEqual(['C0', 'C6', 'C7']);
  });

  it('keeps good items and reports bad ones when asked to', async () => {
    const ctx = h.context();
    const result = await upsertCustomers(ctx, [{ id: 'C1' }, { id: 'bad id' }, { id: 'C3', birthday: '2026-02-30' }, { id: 'C4', birthday: '2099-01-01' }], { keepGood: true });
    expect(result.created).toBe(1);
    expect(result.rejected.map((e) => [e.index, e.message])).toEqual([
      [1, expect.any(String)],
      [2, 'a date like 1990-05-17'],
      [3, 'a birthday is not in the future'],
    ]);
  });

  it('tells a row kept out for one reason of its identity that belongs to someone else too, and keeps the good rows', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C0', identities: [{ kind: 'phone', value: '13800138000' }] }]);
    const result = await upsertCustomers(ctx, [{ id: 'C1', gender: 'x', identities: [{ kind: 'phone', value: '13800138000' }] }, { id: 'C2', identities: [{ kind: 'phone', value: '13900139000' }] }], { keepGood: true });
    expect(result.created).toBe(1);
    expect(result.rejected.map((e) => [e.index, e.code, e.path])).toEqual([
      [0, 'VALIDATION_FAILED', 'gender'],
      [0, 'IDENTITY_CONFLICT', 'identities.0'],
    ]);
  });

  it('checks custom fields against their declarations', async () => {
    const ctx = h.context();
    await createCustomField(ctx, { key: 'shoe_size', name: '鞋码', type: 'number' });
    await createCustomField(ctx, { key: 'tier', name: '等级', type: 'enum', options: ['A', 'B'] });
    await upsertCustomers(ctx, [{ id: 'C1', custom: { shoe_size: 42, tier: 'A' } }]);
    const error = await rejected(upsertCustomers(ctx, [{ id: 'C2', custom: { shoe_sise: 41, tier: 'Z' } }]));
    expect(error.items?.map((e) => e.code).sort()).toEqual(['FIELD_NOT_FOUND', 'FIELD_TYPE_MISMATCH']);
    expect(error.items?.find((e) => e.code === 'FIELD_NOT_FOUND')?.message).toContain('shoe_size');
    await upsertCustomers(ctx, [{ id: 'C1', custom: { tier: null } }]);
    expect((await getPortrait(ctx, 'C1')).custom).toEqual({ shoe_size: 42 });
  });

  it('reads a custom text that is empty or of spaces alone as no value, clearing the field, by the API and an import of JSON lines', async () => {
    const ctx = h.context();
    await createCustomField(ctx, { key: 'note', name: '备注', type: 'string' });
    await createCustomField(ctx, { key: 'tier', name: '等级', type: 'enum', options: ['A', 'B'] });
    const ids = ['C1', 'C2', 'C3', 'C4', 'C5'];
    await upsertCustomers(ctx, ids.map((id) => ({ id, custom: { note: '老客' } })));
    await upsertCustomers(ctx, [{ id: 'C1', custom: { note: '' } }, { id: 'C2', custom: { note: '   ' } }, { id: 'C3', custom: { note: '\u3000\t' } }, { id: 'C4', custom: { note: ' 老客 ' } }]);
    const notes = async () => Promise.all(ids.map(async (id) => (await getPortrait(ctx, id)).custom));
    expect(await notes()).toEqual([{}, {}, {}, { note: ' 老客 ' }, { note: '老客' }]);
    const imported = await importRows(ctx, 'customers', parseRows('{"id": "C5", "custom": {"note": "  "}}\n', 'jsonl'), { batchSize: 100 });
    expect(imported).toMatchObject({ accepted: 1, rejected: 0 });
    expect(await notes()).toEqual([{}, {}, {}, { note: ' 老客 ' }, {}]);
    // A field of options still refuses spaces, as it refuses the empty text.
    for (const tier of ['', '  ']) expect((await rejected(upsertCustomers(ctx, [{ id: 'C1', custom: { tier } }]))).items?.[0]?.code).toBe('FIELD_TYPE_MISMATCH');
  });

  it('reports every problem of a row at once, a custom text too long among them', async () => {
    const ctx = h.context();
    await createCustomField(ctx, { key: 'note', name: '备注', type: 'string' });
    await createCustomField(ctx, { key: 'shoe_size', name: '鞋码', type: 'number' });
    await createCustomField(ctx, { key: 'joined', name: '入会日期', type: 'date' });
    const row = { id: 'C1', custom: { note: '长'.repeat(1025), shoe_size: 'forty', joined: '2026-02-30', shoe_sise: 41 } };
    const error = await rejected(upsertCustomers(ctx, [row]));
    expect(error.items?.map((item) => [item.path, item.code]).sort()).toEqual([
      ['custom.joined', 'FIELD_TYPE_MISMATCH'],
      ['custom.note', 'VALIDATION_FAILED'],
      ['custom.shoe_sise', 'FIELD_NOT_FOUND'],
      ['custom.shoe_size', 'FIELD_TYPE_MISMATCH'],
    ]);
    // An import keeping the good rows tells the row the same, and keeps the good one.
    const kept = await upsertCustomers(ctx, [{ id: 'C2', custom: { note: '老客' } }, row], { keepGood: true });
    expect(kept.rejected.map((item) => [item.index, item.path]).sort()).toEqual([
      [1, 'custom.joined'],
      [1, 'custom.note'],
      [1, 'custom.shoe_sise'],
      [1, 'custom.shoe_size'],
    ]);
    expect((await getPortrait(ctx, 'C2')).custom).toEqual({ note: '老客' });
  });

  it('reports every identity of a row at once when one of them has a kind no identity has', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C0', identities: [{ kind: 'phone', value: '13800138000' }] }]);
    const row = { id: 'C1', identities: [{ kind: 'phone', value: 'abc' }, { kind: 'phone', value: '13800138000' }, { kind: 'fax', value: '1' }, { kind: 'email', value: 'c1@example.com' }] };
    const error = await rejected(upsertCustomers(ctx, [row]));
    expect(error.items?.map((item) => [item.path, item.code])).toEqual([
      ['identities.2.kind', 'VALIDATION_FAILED'],
      ['identities.0', 'VALIDATION_FAILED'],
      ['identities.1', 'IDENTITY_CONFLICT'],
    ]);
    // An import keeping the good rows tells the row the same.
    const kept = await upsertCustomers(ctx, [{ id: 'C2' }, row], { keepGood: true });
    expect(kept.rejected.map((item) => [item.index, item.path])).toEqual([
      [1, 'identities.2.kind'],
      [1, 'identities.0'],
      [1, 'identities.1'],
    ]);
  });

  it('stores quotes, SQL fragments, emoji and Chinese verbatim', async () => {
    const ctx = h.context();
    const name = `O'Brien"; DROP TABLE customers; -- 🎉 张三`;
    await upsertCustomers(ctx, [{ id: "C'1", name, city: '北京' }]);
    expect((await getPortrait(ctx, "C'1")).name).toBe(name);
    expect((await listCustomers(ctx, { q: "O'Brien", limit: 5, offset: 0 })).items.map((c) => c.id)).toEqual(["C'1"]);
  });

  it('rejects a batch over 10,000 items', async () => {
    const ctx = h.context();
    const items = Array.from({ length: 10_001 }, (_, i) => ({ id: `C${i}` }));
    expect((await rejected(upsertCustomers(ctx, items))).code).toBe('BATCH_TOO_LARGE');
  });

  it('upserts a batch of 10,000 in one call', async () => {
    const ctx = h.context();
    const items = Array.from({ length: 10_000 }, (_, i) => ({ id: `C${i}`, name: `客户${i}`, identities: [{ kind: 'member_card' as const, value: `M${i}` }] }));
    expect(await upsertCustomers(ctx, items)).toMatchObject({ created: 10_000 });
    expect((await listCustomers(ctx, { limit: 1, offset: 0 })).total).toBe(10_000);
    expect((await findCustomerByIdentity(ctx, 'member_card', 'M9999')).id).toBe('C9999');
  });

  it('searches by name, merchant id and identity, and pages', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [
      { id: 'C1', name: '王芳', identities: [{ kind: 'phone', value: '13800000001' }] },
      { id: 'C2', name: '王磊', identities: [{ kind: 'email', value: 'wl@example.com' }] },
      { id: 'C3', name: '李静' },
    ]);
    expect((await listCustomers(ctx, { q: '王', limit: 10, offset: 0 })).items.map((c) => c.id)).toEqual(['C1', 'C2']);
    expect((await listCustomers(ctx, { q: '13800000001', limit: 10, offset: 0 })).items.map((c) => c.id)).toEqual(['C1']);
    // As typed with a Chinese input method in full-width mode, or with the country code.
    const fullWidth = (text: string) => text.replace(/[0-9+]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
    expect((await listCustomers(ctx, { q: fullWidth('+86 13800000001'), limit: 10, offset: 0 })).items.map((c) => c.id)).toEqual(['C1']);
    expect((await listCustomers(ctx, { q: 'ＷＬ＠example.com', limit: 10, offset: 0 })).items.map((c) => c.id)).toEqual(['C2']);
    expect((await listCustomers(ctx, { q: 'C3', limit: 10, offset: 0 })).items.map((c) => c.id)).toEqual(['C3']);
    const page = await listCustomers(ctx, { limit: 2, offset: 2 });
    expect(page).toMatchObject({ total: 3 });
    expect(page.items.map((c) => c.id)).toEqual(['C3']);
  });

  it('reads the portrait: identities in order, newest events first (ties by arrival), visible history, page sizes, merged ids', async () => {
    const ctx = h.context('王芳');
    await upsertCustomers(ctx, [
      { id: 'P1', name: '周敏', identities: [{ kind: 'wechat_unionid', value: 'oU_9' }, { kind: 'email', value: 'z@b.cn' }, { kind: 'phone', value: '13800000009' }] },
      { id: 'P2', name: '旧号' },
    ]);
    const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 8, minute)).toISOString();
    await ingestEvents(ctx, [
      { id: 'E1', customer_id: 'P1', type: 'app_opened', occurred_at: at(1) },
      { id: 'E2', customer_id: 'P1', type: 'app_opened', occurred_at: at(3), properties: { channel: 'ios' } },
      { id: 'E3', customer_id: 'P1', type: 'app_opened', occurred_at: at(3) },
      { id: 'E4', customer_id: 'P1', type: 'app_opened', occurred_at: at(2) },
      { id: 'E5', customer_id: 'P2', type: 'app_opened', occurred_at: at(9) },
    ]);
    await defineTag(ctx, interests);
    await defineTag(ctx, { key: 'mine', name: '我的', scope: 'personal', values: [{ key: 'x', name: '甲' }] });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['P1'], source: 'manual' });
    await assignTag(ctx, { tag: 'mine', value: 'x', customers: ['P1'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['P1'], source: 'manual' });

    const portrait = await getPortrait(ctx, 'P1');
    expect(portrait.identities).toEqual([
      { kind: 'email', value: 'z@b.cn' },
      { kind: 'phone', value: '13800000009' },
      { kind: 'wechat_unionid', value: 'oU_9' },
    ]);
    expect(portrait.recent_events.map((e) => e.id)).toEqual(['E3', 'E2', 'E4', 'E1']);
    expect(portrait.recent_events[1]).toEqual({ id: 'E2', type: 'app_opened', occurred_at: at(3), properties: { channel: 'ios' } });
    expect(portrait.tags.map((t) => t.label)).toEqual(['兴趣爱好: 高尔夫', '兴趣爱好: 瑜伽', '我的: 甲']);
    expect(portrait.recent_history.map((e) => e.value)).toEqual(['yoga', 'x', 'golf']);

    // Another staff member sees neither the personal tag nor its history.
    const other = { ...ctx, actor: '李雷' };
    const seen = await getPortrait(other, 'P1', { history: 1 });
    expect(seen.tags.map((t) => t.value)).toEqual(['golf', 'yoga']);
    expect(seen.recent_history.map((e) => e.value)).toEqual(['yoga']);
    expect((await getPortrait(other, 'P1', { history: 5 })).recent_history.map((e) => e.value)).toEqual(['yoga', 'golf']);

    const small = await getPortrait(ctx, 'P1', { events: 2, history: 0 });
    expect(small.recent_events.map((e) => e.id)).toEqual(['E3', 'E2']);
    expect(small.recent_history).toEqual([]);
    expect((await getPortrait(ctx, 'P1', { events: 0 })).recent_events).toEqual([]);

    // An archived tag leaves the portrait's tags, not the customer's past.
    await updateTag(ctx, 'interests', { status: 'archived' });
    const archived = await getPortrait(ctx, 'P1');
    expect(archived.tags.map((t) => t.label)).toEqual(['我的: 甲']);
    expect(archived.recent_history.map((e) => e.value)).toEqual(['yoga', 'x', 'golf']);
    expect((await getPortrait(other, 'P1')).recent_history.map((e) => e.value)).toEqual(['yoga', 'golf']);

    await mergeCustomers(ctx, 'P1', 'P2');
    const merged = await getPortrait(ctx, 'P2');
    expect(merged).toMatchObject({ id: 'P1', name: '周敏' });
    expect(merged.recent_events.map((e) => e.id)).toEqual(['E5', 'E3', 'E2', 'E4', 'E1']);
    expect((await rejected(getPortrait(ctx, 'P9'))).code).toBe('CUSTOMER_NOT_FOUND');
  });

  it('pages the list by offset and by cursor, from the store and from the index, without duplicates or gaps', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, Array.from({ length: 53 }, (_, i) => ({ id: `L${String(i).padStart(2, '0')}`, name: i % 3 === 0 ? `王${i}` : `李${i}` })));
    await mergeCustomers(ctx, 'L00', 'L10');
    const live = Array.from({ length: 53 }, (_, i) => `L${String(i).padStart(2, '0')}`).filter((id) => id !== 'L10');
    const index = indexAudience(new IndexRegistry(ctx.store));
    for (const source of [undefined, index]) {
      const byOffset: string[] = [];
      for (let offset = 0; offset < 60; offset += 10) {
        const page = await listCustomers(ctx, { limit: 10, offset }, source);
        expect(page.total).toBe(52);
        byOffset.push(...page.items.map((c) => c.id));
      }
      expect(byOffset).toEqual(live);

      const byCursor: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page: Awaited<ReturnType<typeof listCustomers>> = await listCustomers(ctx, { limit: 10, offset: 0, cursor }, source);
        byCursor.push(...page.items.map((c) => c.id));
        if (page.next_cursor === null) break;
        cursor = page.next_cursor;
      }
      expect(byCursor).toEqual(live);
      // A cursor and an offset together: skip from the cursor's place.
      const first = await listCustomers(ctx, { limit: 10, offset: 0 }, source);
      expect((await listCustomers(ctx, { limit: 3, offset: 5, cursor: first.next_cursor ?? undefined }, source)).items.map((c) => c.id)).toEqual(live.slice(15, 18));
    }

    // A search pages the same way.
    const wang = live.filter((id) => Number(id.slice(1)) % 3 === 0);
    const searched: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page: Awaited<ReturnType<typeof listCustomers>> = await listCustomers(ctx, { q: '王', limit: 4, offset: 0, cursor }, index);
      expect(page.total).toBe(wang.length);
      searched.push(...page.items.map((c) => c.id));
      if (page.next_cursor === null) break;
      cursor = page.next_cursor;
    }
    expect(searched).toEqual(wang);
    expect((await rejected(listCustomers(ctx, { limit: 10, offset: 0, cursor: 'bm9wZQ' }))).code).toBe('VALIDATION_FAILED');
  });
});
