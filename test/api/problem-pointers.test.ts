// Each item of a problem's errors[] says where in the request body it is as an RFC 6901 JSON
// Pointer (`pointer`, as RFC 9457 §3 places an invalid item), beside its batch position and
// dotted path: a batch's items through the route's own list, a body that is no batch from its
// root, a key holding `~` or `/` escaped; a header or a query parameter has none.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const NUL = String.fromCharCode(0);
const AT = '2026-06-01T08:00:00Z';

forEachStore('API: where each problem is, as a JSON Pointer', (h) => {
  const api = useServer(h);
  const placed = (reply: { body: { errors?: { index: number; path?: string; pointer?: string }[] } }) => reply.body.errors?.map((item) => [item.index, item.path, item.pointer]);

  it('points at a schema failure inside a batch through the route’s list', async () => {
    const customers = await api.post('/api/v1/customers', { customers: [{ id: 'C1' }, { id: 5 }] });
    expect(customers.status).toBe(400);
    expect(placed(customers)).toEqual([[1, 'id', '#/customers/1/id']]);
    const events = await api.post('/api/v1/events', { events: [{ customer_id: 'C1', type: 'app_opened', occurred_at: AT, when: 'now' }] });
    expect(placed(events)).toEqual([[0, 'when', '#/events/0/when']]);
  });

  it('points at what the engine finds in a batch’s items: a bad customer id, an event’s property, nested ones by every step', async () => {
    const events = await api.post('/api/v1/events', {
      events: [
        { customer_id: 'C1', type: 'app_opened', occurred_at: AT },
        { customer_id: 'bad id', type: 'order_paid', occurred_at: AT, properties: { order_id: 'O1', amount: 'ten', items: [{ sku: 'S1' }, { price: 5 }] } },
      ],
    });
    expect(events.status).toBe(400);
    expect(events.body.errors).toEqual([
      { index: 1, code: 'VALIDATION_FAILED', path: 'customer_id', pointer: '#/events/1/customer_id', message: expect.any(String) },
      { index: 1, code: 'EVENT_PROPERTIES_INVALID', path: 'properties.amount', pointer: '#/events/1/properties/amount', message: 'expected a number, got text' },
      { index: 1, code: 'EVENT_PROPERTIES_INVALID', path: 'properties.items.1.sku', pointer: '#/events/1/properties/items/1/sku', message: 'required, and missing here' },
    ]);
    // The detail still names the property, as the path does.
    expect(events.body.detail).toContain('item 1 properties.amount: expected a number, got text');
    // Accepted for later, the batch is checked and placed alike.
    const later = await api.post('/api/v1/events', { events: [{ customer_id: 'C1', type: 'order_paid', occurred_at: AT, properties: { order_id: 'O1', amount: -1 } }] }, { prefer: 'respond-async' });
    expect(placed(later)).toEqual([[0, 'properties.amount', '#/events/0/properties/amount']]);
    // A problem of the properties as a whole is placed at them.
    const large = await api.post('/api/v1/events', { events: [{ customer_id: 'C1', type: 'note_added', occurred_at: AT, properties: { note: 'x'.repeat(20_000) } }] });
    expect(placed(large)).toEqual([[0, 'properties', '#/events/0/properties']]);

    await api.post('/api/v1/customers', { customers: [{ id: 'C1', identities: [{ kind: 'email', value: 'a@b.cn' }] }] });
    const customers = await api.post('/api/v1/customers', { customers: [{ id: 'C2', custom: { 鞋码: 42 } }, { id: 'C3', identities: [{ kind: 'email', value: 'a@b.cn' }] }] });
    expect(placed(customers)).toEqual([
      // A name outside ASCII is percent-encoded as a URI fragment is (RFC 6901 §6).
      [0, 'custom.鞋码', '#/customers/0/custom/%E9%9E%8B%E7%A0%81'],
      [1, 'identities.0', '#/customers/1/identities/0'],
    ]);
    expect((await api.get('/api/v1/customers')).body).toMatchObject({ total: 1 });
  });

  it('points at a body that is no batch from its root, and at an entry of a list the route names', async () => {
    const tag = await api.post('/api/v1/tags', { key: 'taste', name: '口味', values: [{ key: 'sweet', name: '甜' }, { key: 'salty', name: 7 }] });
    expect(tag.status).toBe(400);
    expect(placed(tag)).toEqual([[-1, 'values.1.name', '#/values/1/name']]);
    const model = await api.call('PUT', '/api/v1/models/lifecycle', { params: { lost_days: 'soon' } });
    expect(placed(model)).toEqual([[-1, 'params.lost_days', '#/params/lost_days']]);
    // A body of the wrong kind is pointed at whole: the empty pointer.
    expect(placed(await api.post('/api/v1/tags', []))).toEqual([[-1, undefined, '#']]);
    const overlap = await api.post('/api/v1/segments/overlap', { segments: ['nowhere', 'nobody'] });
    expect(overlap.body.code).toBe('SEGMENT_NOT_FOUND');
    expect(placed(overlap)).toEqual([
      [-1, 'segments.0', '#/segments/0'],
      [-1, 'segments.1', '#/segments/1'],
    ]);
    // As a malformed entry of the same list is placed: the body is no batch.
    expect(placed(await api.post('/api/v1/segments/overlap', { segments: ['nowhere', ''] }))).toEqual([[-1, 'segments.1', '#/segments/1']]);

    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }] });
    expect((await api.post('/api/v1/tags', { key: 'vip', name: '贵宾', values: [{ key: 'yes', name: '是' }] })).status).toBe(201);
    const assign = await api.post('/api/v1/tags/vip/assign', { value: 'yes', customers: ['C1', 'ghost', 'C1', 'nobody'] });
    expect(assign.body.code).toBe('CUSTOMERS_NOT_FOUND');
    expect(placed(assign)).toEqual([
      [1, 'customers', '#/customers/1'],
      [3, 'customers', '#/customers/3'],
    ]);
    // The customer of a path parameter is in no body: named, not pointed at.
    const one = await api.post('/api/v1/customers/ghost/tags', { tag: 'vip', value: 'yes' });
    expect(one.body.code).toBe('CUSTOMER_NOT_FOUND');
    expect(one.body.errors?.every((item) => item.pointer === undefined)).toBe(true);
  });

  it('escapes ~ and / in a key, and keeps a key holding a dot one step', async () => {
    const unknown = await api.post('/api/v1/customers', { customers: [{ id: 'C1', 'a/b~c': 1 }] });
    expect(placed(unknown)).toEqual([[0, 'a/b~c', '#/customers/0/a~1b~0c']]);
    const dotted = await api.post('/api/v1/customers', { customers: [{ id: 'C1', custom: { 'size.eu': 42, '~/': 1 } }] });
    expect(placed(dotted)).toEqual([
      [0, 'custom.size.eu', '#/customers/0/custom/size.eu'],
      [0, 'custom.~/', '#/customers/0/custom/~0~1'],
    ]);
    const unstorable = await api.post('/api/v1/customers', { customers: [{ id: 'C1', custom: { 'x/y': `a${NUL}` } }] });
    // Told with the item's other problem there (a custom field not declared), each placed alike.
    expect(placed(unstorable)).toEqual([
      [0, 'custom.x/y', '#/customers/0/custom/x~1y'],
      [0, 'custom.x/y', '#/customers/0/custom/x~1y'],
    ]);
  });

  it('names a header or a query parameter without pointing at it', async () => {
    const key = await api.post('/api/v1/events', { events: [{ customer_id: 'C1', type: 'app_opened', occurred_at: AT }] }, { 'idempotency-key': 'é' });
    expect(key.status).toBe(400);
    expect(key.body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'idempotency-key', message: expect.stringContaining('Idempotency-Key') }]);
    const cursor = await api.get('/api/v1/customers?cursor=zzz');
    expect(cursor.body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'cursor', message: expect.any(String) }]);
    const parameter = await api.get('/api/v1/customers?limit=abc');
    expect(parameter.status).toBe(400);
    expect(parameter.body.errors?.map((item) => [item.path, item.pointer])).toEqual([['limit', undefined]]);
  });

  it('places a field refused beyond its schema, and gives every refusal an entry of errors[]', async () => {
    const zone = await api.post('/api/v1/workspaces', { key: 'zone490', name: '时区', utc_offset_minutes: 490 });
    expect(zone.body.code).toBe('VALIDATION_FAILED');
    expect(placed(zone)).toEqual([[-1, 'utc_offset_minutes', '#/utc_offset_minutes']]);
    expect((await api.post('/api/v1/tags', { key: 'vip', name: '贵宾', values: [{ key: 'yes', name: '是' }] })).status).toBe(201);
    const hook = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks', topics: ['care_reminders'], tags: ['vip'] });
    expect(hook.body.code).toBe('VALIDATION_FAILED');
    expect(placed(hook)).toEqual([[-1, 'tags', '#/tags']]);
    const future = await api.get(`/api/v1/tags/vip/transitions?from=${encodeURIComponent(new Date(h.clock.now().getTime() + 86_400_000).toISOString())}`);
    expect(placed(future)).toEqual([[-1, 'from', undefined]]);
    const flow = await api.get('/api/v1/tags/vip/transitions/members?from_value=-&to_value=-');
    expect(placed(flow)).toEqual([[-1, 'from_value', undefined]]);
    const field = await api.post('/api/v1/fields', { key: 'size', name: '尺码', type: 'enum', options: ['S', 'M', 'S'] }, { 'accept-language': 'zh-CN' });
    expect(field.body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'options.2', pointer: '#/options/2', message: '选项「S」出现了两次' }]);
    const emptyWorkspace = await api.get('/api/v1/tags', { 'x-tagbase-workspace': ' ' });
    expect(emptyWorkspace.body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', path: 'x-tagbase-workspace', message: 'X-Tagbase-Workspace is empty: name a workspace, or leave the header out for the default one' }]);
    // About no one field: the entry says what the detail says, placed nowhere.
    const nul = await api.get('/api/v1/customers?q=%00', { 'accept-language': 'zh-CN' });
    expect(nul.body.errors).toEqual([{ index: -1, code: 'VALIDATION_FAILED', message: '地址中含有 NUL 字符（%00）' }]);
  });
});
