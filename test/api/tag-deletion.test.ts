import { sql } from 'kysely';
import { expect } from 'vitest';
import { forEachStore, it, type StoreHarness } from '../support/stores.js';
import { useServer } from './support.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { openWorkspace } from '../../src/engine/workspaces.js';
import { listAudit } from '../../src/engine/audit.js';

/** Every table with a column naming a tag or a tag value, as the store lists them: one added later fails the test until the deletion knows it. */
async function tagTables(h: StoreHarness): Promise<string[]> {
  const db = h.store().db;
  const columns = ['tag_id', 'value_id', 'previous_value_id', 'tag_key'];
  const rows =
    h.kind === 'sqlite'
      ? (await sql<{ name: string; col: string }>`select m.name as name, c.name as col from sqlite_master m join pragma_table_info(m.name) c where m.type = 'table' and c.name in (${sql.join(columns)}) order by m.name, c.name`.execute(db)).rows
      : (await sql<{ name: string; col: string }>`select table_name as name, column_name as col from information_schema.columns where table_schema = current_schema() and column_name in (${sql.join(columns)}) order by table_name, column_name`.execute(db)).rows;
  return rows.map((row) => `${row.name}.${row.col}`);
}

/** Rows of each such table that still point at the tag (by id) or its values. */
async function rowsNaming(h: StoreHarness, columns: readonly string[], tagId: number, valueIds: readonly number[]): Promise<Record<string, number>> {
  const db = h.store().db;
  const counts: Record<string, number> = {};
  for (const column of columns) {
    const [table, name] = column.split('.') as [string, string];
    if (name === 'tag_key') continue;
    const ids = name === 'tag_id' ? [tagId] : valueIds;
    const row = (await sql<{ count: number | string }>`select count(*) as count from ${sql.table(table)} where ${sql.ref(name)} in (${sql.join(ids)})`.execute(db)).rows[0];
    counts[column] = Number(row?.count ?? 0);
  }
  const tags = (await sql<{ count: number | string }>`select count(*) as count from tags where id = ${tagId}`.execute(db)).rows[0];
  counts.tags = Number(tags?.count ?? 0);
  return counts;
}

const trial = { key: 'trial', name: '试用', cardinality: 'multi', values: [{ key: 'a', name: '甲' }, { key: 'b', name: '乙' }] };
const HOUR = 3_600_000;

forEachStore('API: deleting a tag', (h) => {
  const api = useServer(h);

  it('deletes a tag no one holds with its values, history and operations, from the index and its snapshot too, and records its definition', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }, { id: 'C2' }, { id: 'C3' }] });
    expect((await api.post('/api/v1/tags', trial)).status).toBe(201);
    await api.post('/api/v1/tags', { key: 'kept', name: '保留', values: [{ key: 'y', name: '是' }] });
    await api.post('/api/v1/tags/kept/assign', { value: 'y', customers: ['C3'] });
    await api.post('/api/v1/tags/trial/assign', { value: 'a', customers: ['C1'] });
    await api.post('/api/v1/tags/trial/assign', { value: 'b', customers: ['C2'], expires_at: new Date(h.clock.now().getTime() + HOUR).toISOString() });
    await api.post('/api/v1/tags/trial/unassign', { customers: ['C1'] });
    const ids = await h.store().db.selectFrom('tags').select('id').where('workspace_id', '=', h.context().workspaceId).where('key', '=', 'trial').executeTakeFirstOrThrow();
    const valueIds = (await h.store().db.selectFrom('tag_values').select('id').where('tag_id', '=', ids.id).execute()).map((row) => row.id);

    // A snapshot of the index taken while C2 holds it.
    const context = await openWorkspace(h.store(), h.workspaceKey(), 'tester', h.clock.now);
    const before = new IndexRegistry(h.store(), { snapshots: true });
    expect((await before.get(context)).tagSizes().get(ids.id)).toBe(1);
    await before.saveSnapshot(context);

    // Held: refused, saying how many hold it and how to take it off them; nothing changes.
    const held = await api.del('/api/v1/tags/trial', { 'accept-language': 'en' });
    expect(held.body).toMatchObject({ status: 409, code: 'TAG_NOT_DELETABLE', detail: expect.stringContaining('1 customer holds it; take it off them first with bulk untagging (POST /api/v1/tags/trial/unassign') });
    expect((await api.del('/api/v1/tags/trial', { 'accept-language': 'zh-CN' })).body.detail).toContain('有 1 位客户持有它');
    expect((await api.get('/api/v1/tags/trial')).status).toBe(200);

    // Past its expiry C2's value is gone, swept or not.
    h.clock.advance(2 * HOUR);
    const columns = await tagTables(h);
    expect(columns).toEqual(['assignments.tag_id', 'assignments.value_id', 'rule_passes.tag_id', 'rule_passes.tag_key', 'tag_history.previous_value_id', 'tag_history.tag_id', 'tag_history.value_id', 'tag_values.tag_id', 'tagging_operations.tag_id', 'tagging_operations.value_id']);
    const rowsBefore = await rowsNaming(h, columns, ids.id, valueIds);
    expect(rowsBefore).toMatchObject({ 'assignments.tag_id': 1, 'tag_history.tag_id': 3, 'tagging_operations.tag_id': 3, 'tag_values.tag_id': 2, tags: 1 });

    const deleted = await api.del('/api/v1/tags/%E8%AF%95%E7%94%A8', { 'x-tagbase-actor': encodeURIComponent('运营-小李') });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ key: 'trial', name: '试用', values: 2, history: 3 });
    expect(Object.entries(await rowsNaming(h, columns, ids.id, valueIds)).filter(([, count]) => count > 0)).toEqual([]);

    expect((await api.get('/api/v1/tags/trial')).body.code).toBe('TAG_NOT_FOUND');
    expect((await api.get('/api/v1/tags?archived=true')).body.items).toMatchObject([{ key: 'kept', customers: 1 }]);
    expect((await api.post('/api/v1/segments/count', { expression: 'trial exists' })).status).toBe(400);
    expect((await api.post('/api/v1/segments/count', { expression: 'kept exists' })).body.count).toBe(1);
    expect((await api.del('/api/v1/tags/trial')).body.code).toBe('TAG_NOT_FOUND');

    // A process starting from the snapshot taken before does not know the tag either.
    const after = new IndexRegistry(h.store(), { snapshots: true });
    const index = await after.get(context);
    expect(index.tagSizes().has(ids.id)).toBe(false);
    expect(valueIds.filter((id) => index.valueCounts().has(id))).toEqual([]);

    // The trail keeps who deleted it and what it was.
    const trail = await listAudit(h.store(), { workspaceId: context.workspaceId, limit: 50 }, 'en');
    const entry = trail.items.find((item) => item.action === 'DELETE /tags/:tag');
    expect(entry).toMatchObject({ actor: '运营-小李', status: 200, summary: 'deleted a tag', target: expect.stringMatching(/^\/tags\/trial\?definition=\{"key":"trial","name":"试用",/) });
    expect(JSON.parse(entry?.target.slice(entry.target.indexOf('=') + 1) ?? '{}')).toMatchObject({ cardinality: 'multi', values: [{ key: 'a', name: '甲' }, { key: 'b', name: '乙' }] });
    expect(trail.items.filter((item) => item.action === 'DELETE /tags/:tag')).toHaveLength(1);

    // The key is free again, and a tag made under it starts with no history.
    expect((await api.post('/api/v1/tags', trial)).status).toBe(201);
    expect((await api.get('/api/v1/tags/trial')).body).toMatchObject({ customers: 0 });
  });

  it('refuses a tag a segment, a care plan, a rule, a webhook or a model reads, or whose changes a webhook has yet to post, as its readers answer says beforehand', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    const en = { 'accept-language': 'en' };
    const refusal = async (key: string) => (await api.del(`/api/v1/tags/${key}`, en)).body;
    const nothing = { segments: [], care_plans: [], rule_tags: [], others_personal_rule_tags: 0, webhooks: [], pending_webhook_posts: [], rule_pass_running: false };
    const readers = async (key: string, headers: Record<string, string> = {}) => (await api.get(`/api/v1/tags/${key}/readers`, headers)).body;

    await api.post('/api/v1/tags', { ...trial, key: 'seg_read', name: '人群读' });
    await api.post('/api/v1/segments', { key: 'reads_it', name: '读它', expression: 'seg_read exists' });
    expect(await refusal('seg_read')).toMatchObject({ status: 409, code: 'TAG_NOT_DELETABLE', detail: 'Tag "人群读" (seg_read) cannot be deleted: segment "读它" (reads_it) reads it; change those first. Nothing was deleted.' });
    expect(await readers('seg_read')).toEqual({ ...nothing, segments: [{ key: 'reads_it', name: '读它' }] });

    await api.post('/api/v1/tags', { ...trial, key: 'care_read', name: '关怀读' });
    await api.post('/api/v1/care/plans', { key: 'thanks', name: '感谢', trigger: { kind: 'event', event_type: 'order_paid' }, condition: 'care_read exists', steps: [{ after: '0', message: '{name}' }] });
    expect((await refusal('care_read')).detail).toContain('care plan "感谢" (thanks) reads it');
    expect(await readers('care_read')).toEqual({ ...nothing, care_plans: [{ key: 'thanks', name: '感谢', reads: ['conditions'] }] });

    await api.post('/api/v1/tags', { ...trial, key: 'rule_read', name: '规则读' });
    await api.post('/api/v1/tags', { key: 'derived', name: '派生', kind: 'rule', values: [{ key: 'y', name: '是', condition: 'rule_read exists' }] });
    expect((await refusal('rule_read')).detail).toContain('the rule of tag "派生" (derived) reads it');
    expect(await readers('rule_read')).toEqual({ ...nothing, rule_tags: [{ key: 'derived', name: '派生' }] });

    // A plan triggered by the tag, or whose message names it, stops with it too.
    await api.post('/api/v1/tags', { ...trial, key: 'trigger_read', name: '触发读' });
    await api.post('/api/v1/care/plans', { key: 'welcome', name: '欢迎', trigger: { kind: 'tag_added', tag: 'trigger_read' }, steps: [{ after: '0', message: '{name}' }] });
    expect((await refusal('trigger_read')).detail).toContain('care plan "欢迎" (welcome) reads it');
    expect(await readers('trigger_read')).toEqual({ ...nothing, care_plans: [{ key: 'welcome', name: '欢迎', reads: ['trigger'] }] });
    await api.post('/api/v1/tags', { ...trial, key: 'message_read', name: '消息读' });
    await api.post('/api/v1/care/plans', { key: 'hello', name: '问候', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name} {tag:消息读}' }] });
    expect((await refusal('message_read')).detail).toContain('the messages of care plan "问候" (hello) reads it');
    expect(await readers('message_read')).toEqual({ ...nothing, care_plans: [{ key: 'hello', name: '问候', reads: ['messages'] }] });
    // A plan reading it in its condition and its messages is one plan, read both ways.
    await api.post('/api/v1/care/plans', { key: 'both', name: '两处', trigger: { kind: 'event', event_type: 'order_paid' }, condition: 'message_read exists', steps: [{ after: '0', message: '{tag:message_read}' }] });
    expect((await readers('message_read')).care_plans).toEqual([
      { key: 'hello', name: '问候', reads: ['messages'] },
      { key: 'both', name: '两处', reads: ['conditions', 'messages'] },
    ]);
    expect((await refusal('message_read')).detail).toContain('care plan "两处" (both), the messages of care plan "问候" (hello), the messages of care plan "两处" (both) read it');

    // Another staff member's personal rule tag is said so, without its name; to its owner, by name.
    await api.post('/api/v1/tags', { ...trial, key: 'mine_read', name: '个人读' });
    await api.post('/api/v1/tags', { key: 'my_rule', name: '我的规则', scope: 'personal', kind: 'rule', values: [{ key: 'y', name: '是', condition: 'mine_read exists' }] }, { 'x-tagbase-actor': 'wang' });
    expect((await api.del('/api/v1/tags/mine_read', { ...en, 'x-tagbase-actor': 'li' })).body.detail).toContain("cannot be deleted: another staff member's personal rule tag reads it;");
    expect((await api.del('/api/v1/tags/mine_read', { ...en, 'x-tagbase-actor': 'wang' })).body.detail).toContain('the rule of tag "我的规则" (my_rule) reads it');
    expect(await readers('mine_read', { 'x-tagbase-actor': 'li' })).toEqual({ ...nothing, others_personal_rule_tags: 1 });
    expect(await readers('mine_read', { 'x-tagbase-actor': 'wang' })).toEqual({ ...nothing, rule_tags: [{ key: 'my_rule', name: '我的规则' }] });
    // Archived, the tag is still read by them: they stopped with it.
    expect((await api.patch('/api/v1/tags/mine_read', { status: 'archived' })).status).toBe(200);
    expect(await readers('mine_read', { 'x-tagbase-actor': 'li' })).toEqual({ ...nothing, others_personal_rule_tags: 1 });
    expect((await api.del('/api/v1/tags/mine_read', { ...en, 'x-tagbase-actor': 'li' })).body.detail).toContain("another staff member's personal rule tag reads it;");

    // A rule tag whose rule is still being applied to everyone waits for it.
    await api.post('/api/v1/tags', { key: 'passing', name: '执行中', kind: 'rule', values: [{ key: 'y', name: '是', condition: 'orders_total >= 1000' }] });
    const passing = await h.store().db.selectFrom('tags').select('id').where('workspace_id', '=', h.context().workspaceId).where('key', '=', 'passing').executeTakeFirstOrThrow();
    const workspace = await h.store().db.selectFrom('workspaces').select('id').where('key', '=', h.workspaceKey()).executeTakeFirstOrThrow();
    await h.store().db.insertInto('rule_passes').values({ workspace_id: workspace.id, tag_id: passing.id, tag_key: 'passing', token: 'elsewhere', after_id: 0, updated_at: h.clock.now().getTime() }).execute();
    expect((await refusal('passing')).detail).toContain('its rule is still being applied to everyone');
    expect(await readers('passing')).toEqual({ ...nothing, rule_pass_running: true });
    await h.store().db.deleteFrom('rule_passes').where('tag_id', '=', passing.id).execute();
    expect(await readers('passing')).toEqual(nothing);
    expect((await api.del('/api/v1/tags/passing')).status).toBe(200);

    await api.post('/api/v1/tags', { ...trial, key: 'hook_read', name: '推送读' });
    const hook = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks/tagbase', tags: ['hook_read'] });
    expect((await refusal('hook_read')).detail).toContain(`webhook ${String(hook.body.id)} reads it`);
    expect(await readers('推送读')).toEqual({ ...nothing, webhooks: [{ id: hook.body.id }] });
    await api.del(`/api/v1/webhooks/${String(hook.body.id)}`);
    expect((await api.del('/api/v1/tags/hook_read')).status).toBe(200);

    // A webhook posting every shared tag does not read this one, but has its changes still to post.
    await api.post('/api/v1/tags', { ...trial, key: 'posted', name: '已推送' });
    const every = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks/every' });
    await api.post('/api/v1/tags/posted/assign', { value: 'a', customers: ['C1'] });
    await api.post('/api/v1/tags/posted/unassign', { customers: ['C1'] });
    expect((await refusal('posted')).detail).toContain(`webhook ${String(every.body.id)} has not yet posted every change of it`);
    // Its receiver could not be reached when the deletion had it post first: it waits to try again, so it is not due.
    expect(await readers('posted')).toEqual({ ...nothing, pending_webhook_posts: [{ id: every.body.id, due: false }] });
    const last = await h.store().db.selectFrom('tag_history').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
    await h.store().db.updateTable('webhooks').set({ cursor: Number(last.id) }).where('id', '=', Number(every.body.id)).execute();
    expect(await readers('posted')).toEqual(nothing);
    expect((await api.del('/api/v1/tags/posted')).status).toBe(200);

    // A model's tag goes with its model.
    expect((await api.call('PUT', '/api/v1/models/rfm', { params: {} })).status).toBe(200);
    const model = await refusal('rfm');
    expect(model).toMatchObject({ code: 'TAG_NOT_DELETABLE', detail: expect.stringContaining('it is the tag of the model rfm') });
    expect((await api.get('/api/v1/tags/rfm')).status).toBe(200);
  });

  it('keeps the whole definition of a tag of many values in the trail, past 1,024 characters', async () => {
    const values = Array.from({ length: 80 }, (_, i) => ({ key: `store_${String(i)}`, name: `门店${String(i)}`, description: '顾客最常去的门店，由导购登记' }));
    expect((await api.post('/api/v1/tags', { key: 'stores', name: '常去门店', values })).status).toBe(201);
    expect((await api.del('/api/v1/tags/stores')).status).toBe(200);
    const trail = (await api.get('/api/v1/audit?limit=5')).body as { items: { action: string; target: string }[] };
    const entry = trail.items.find((item) => item.action === 'DELETE /tags/:tag');
    expect(entry?.target.length).toBeGreaterThan(1024);
    const definition = JSON.parse(entry?.target.replace(/^\/tags\/stores\?definition=/, '') ?? '') as { key: string; values: { key: string; description: string }[] };
    expect(definition.key).toBe('stores');
    expect(definition.values).toEqual(values.map((value) => expect.objectContaining({ key: value.key, description: value.description })));
  });

  it('lets a personal tag be deleted by its owner only', async () => {
    const owner = { 'x-tagbase-actor': 'wang' };
    expect((await api.post('/api/v1/tags', { ...trial, scope: 'personal' }, owner)).status).toBe(201);
    expect((await api.del('/api/v1/tags/trial', { 'x-tagbase-actor': 'li' })).body.code).toBe('TAG_NOT_FOUND');
    expect((await api.del('/api/v1/tags/trial')).body.code).toBe('TAG_NOT_FOUND');
    expect((await api.del('/api/v1/tags/trial', owner)).status).toBe(200);
  });

  it('says how many hold a tag it refuses to delete as counts are written elsewhere, 1,200 rather than 1200', async () => {
    const ids = Array.from({ length: 1200 }, (_, index) => `C${index + 1}`);
    await api.post('/api/v1/customers', { customers: ids.map((id) => ({ id })) });
    expect((await api.post('/api/v1/tags', trial)).status).toBe(201);
    await api.post('/api/v1/tags/trial/assign', { value: 'a', customers: ids });
    expect((await api.del('/api/v1/tags/trial', { 'accept-language': 'en' })).body.detail).toContain('1,200 customers hold it;');
    expect((await api.del('/api/v1/tags/trial', { 'accept-language': 'zh-CN' })).body.detail).toContain('有 1,200 位客户持有它');
  });
});
