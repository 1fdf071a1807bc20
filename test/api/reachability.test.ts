// The reachability fields (has_phone …) through the API: the server's index follows each
// customer's identities as they are added, imported, moved by a merge and erased, refreshing
// the customers concerned rather than building again; and the customer's JSON says them.
import { expect } from 'vitest';
import { IndexRegistry } from '../../src/index/registry.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: reachability fields', (h) => {
  const registry = new IndexRegistry();
  const api = useServer(h, { index: registry });

  /** The ids of the customers matching `expression`, as the server's index answers a preview. */
  async function members(expression: string): Promise<string[]> {
    const reply = await api.post('/api/v1/segments/preview?limit=500', { expression });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return (reply.body.items as { id: string }[]).map((item) => item.id).sort();
  }

  it('follows identities added, imported, merged and erased without building the index again', async () => {
    await api.post('/api/v1/customers', {
      customers: [
        { id: 'A', city: '广州' },
        { id: 'B', city: '广州', identities: [{ kind: 'phone', value: '13800138001' }] },
        { id: 'C', city: '广州', identities: [{ kind: 'wechat_openid', value: 'o-c' }] },
        { id: 'D', city: '深圳', identities: [{ kind: 'platform_nick', value: 'dd' }] },
      ],
    });
    await api.post('/api/v1/segments', { key: 'gz', name: '高价值人群', expression: 'city = "广州"' });
    expect(await members('has_phone = true')).toEqual(['B']);
    expect(await members('not has_wechat = true')).toEqual(['A', 'B', 'D']);
    const index = await registry.get(h.context());

    // A phone added to A: the SMS list of the segment takes A in.
    await api.post('/api/v1/customers', { customers: [{ id: 'A', identities: [{ kind: 'phone', value: '13800138000' }] }] });
    expect(await members('segment("高价值人群") and has_phone = true')).toEqual(['A', 'B']);
    expect((await api.get('/api/v1/customers/A')).body).toMatchObject({ has_phone: true, has_wechat: false, has_email: false, has_member_card: false });

    // An e-mail and a member card from an import.
    expect((await api.post('/api/v1/imports/customers', { text: 'id,email,member_card\nD,d@example.com,M-4\n' })).status).toBe(200);
    expect(await members('has_email = true and has_member_card = true')).toEqual(['D']);

    // B merged into C: C gains B's phone and keeps its WeChat; B is no one's.
    expect((await api.post('/api/v1/customers/C/merge', { from: 'B' })).status).toBe(200);
    expect(await members('has_phone = true')).toEqual(['A', 'C']);
    expect(await members('has_phone = true and has_wechat = true')).toEqual(['C']);

    // C erased: its phone and its WeChat go with it.
    expect((await api.del('/api/v1/customers/C')).status).toBe(200);
    expect(await members('has_phone = true')).toEqual(['A']);
    expect(await members('has_wechat = true')).toEqual([]);
    expect(await members('has_phone = false')).toEqual(['D']);

    // Every change reached the index as a refresh of the customers concerned.
    expect(await registry.get(h.context())).toBe(index);
    // The customer list answers from the same index and says each customer's.
    const listed = (await api.get('/api/v1/customers')).body.items as { id: string; has_phone: boolean; has_email: boolean }[];
    expect(listed.map((customer) => [customer.id, customer.has_phone, customer.has_email])).toEqual([
      ['A', true, false],
      ['D', false, true],
    ]);
  });
});
