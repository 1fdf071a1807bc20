// A WeCom (企业微信) external contact's id (`wecom_external_userid`) as an identity: pushed, looked
// up, masked for the roles that see identifiers masked, imported under WeCom's and Chinese
// column names, taken away and erased — on every store.
import { expect } from 'vitest';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

const ID = 'wmZx1b2C3d4E5f6G7h8I9jKlMnOpQr';

forEachStore('API: WeCom external contact ids', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('takes one with a customer, finds the customer by it and lists it in the API description', async () => {
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C1', name: '张伟', identities: [{ kind: 'wecom_external_userid', value: ` ${ID} ` }] }] })).status).toBe(200);
    const found = await api.get(`/api/v1/customers/lookup?kind=wecom_external_userid&value=${ID}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: 'C1', identities: [{ kind: 'wecom_external_userid', value: ID }] });
    // A WeCom contact is not counted as reachable on WeChat: has_wechat keeps its meaning (a UnionID or an OpenID).
    expect(found.body).toMatchObject({ has_wechat: false, has_phone: false });
    expect(((await api.get(`/api/v1/customers?q=${ID}`)).body.items as { id: string }[]).map((item) => item.id)).toEqual(['C1']);
    expect((await api.get('/api/v1/customers/lookup?kind=wecom_external_userid&value=wmNobody')).body.code).toBe('CUSTOMER_NOT_FOUND');

    // Another customer may not hold it, said in Chinese by its name.
    const taken = await api.post('/api/v1/customers', { customers: [{ id: 'C2', identities: [{ kind: 'wecom_external_userid', value: ID }] }] }, { 'accept-language': 'zh-CN' });
    expect(taken.status).toBe(400);
    expect(JSON.stringify(taken.body)).toContain(`企业微信外部联系人ID「${ID}」已属于客户「C1」`);

    const document = (await api.get('/api/v1/openapi.json')).body as { paths: Record<string, { get?: { parameters?: { name: string; schema?: { enum?: string[] } }[] } }> };
    const kind = document.paths['/api/v1/customers/lookup']?.get?.parameters?.find((parameter) => parameter.name === 'kind');
    expect(kind?.schema?.enum).toContain('wecom_external_userid');
  });

  it('imports it under WeCom and Chinese column names, from CSV and JSON Lines', async () => {
    const csv = await api.post('/api/v1/imports/customers', { text: `编号,姓名,企业微信外部联系人ID\nC1,张伟,${ID}\n` });
    expect(csv.status).toBe(200);
    expect(csv.body).toMatchObject({ accepted: 1, rejected: 0 });
    const jsonl = await api.post('/api/v1/imports/customers', { format: 'jsonl', text: `{"id":"C2","external_userid":"wmSecondContact0001"}\n{"id":"C3","外部联系人ID":"wmThirdContact0001"}\n` });
    expect(jsonl.body).toMatchObject({ accepted: 2, rejected: 0 });
    for (const [customer, value] of [['C1', ID], ['C2', 'wmSecondContact0001'], ['C3', 'wmThirdContact0001']]) {
      expect((await api.get(`/api/v1/customers/lookup?kind=wecom_external_userid&value=${value}`)).body.id).toBe(customer);
    }
  });

  it('moves with a merge to the customer kept', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', identities: [{ kind: 'phone', value: '13800138000' }] }, { id: 'C2', identities: [{ kind: 'wecom_external_userid', value: ID }] }] });
    expect((await api.post('/api/v1/customers/C1/merge', { from: 'C2' })).status).toBe(200);
    expect((await api.get(`/api/v1/customers/lookup?kind=wecom_external_userid&value=${ID}`)).body).toMatchObject({ id: 'C1', has_phone: true, has_wechat: false });
  });

  it('takes it away on request and with the customer erased, free for another customer after', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', identities: [{ kind: 'wecom_external_userid', value: ID }, { kind: 'wecom_external_userid', value: 'wmOtherContact0001' }] }] });
    expect((await api.del('/api/v1/customers/C1/identities/wecom_external_userid/wmOtherContact0001')).status).toBe(204);
    expect((await api.get('/api/v1/customers/C1')).body.identities).toEqual([{ kind: 'wecom_external_userid', value: ID }]);
    const erased = await api.del('/api/v1/customers/C1');
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ identities: 1 });
    expect((await api.get(`/api/v1/customers/lookup?kind=wecom_external_userid&value=${ID}`)).body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await api.post('/api/v1/customers', { customers: [{ id: 'C9', identities: [{ kind: 'wecom_external_userid', value: ID }] }] })).status).toBe(200);
  });

  it('shows it masked to a viewer, who still finds the customer by the whole id', async () => {
    const viewer = (await createAccessToken(h.store(), { name: '分析-小陈', role: 'viewer' }, h.clock.now())).token;
    const admin = (await createAccessToken(h.store(), { name: '管理员-李娜', role: 'admin' }, h.clock.now())).token;
    // Tokens belong to the server and outlive the workspace: this test comes last.
    await api.post('/api/v1/customers', { customers: [{ id: 'C1', identities: [{ kind: 'wecom_external_userid', value: ID }] }] }, bearer(admin));
    const portrait = await api.get('/api/v1/customers/C1', bearer(viewer));
    expect(portrait.body.identities).toEqual([{ kind: 'wecom_external_userid', value: 'wmZx****OpQr' }]);
    expect(portrait.text).not.toContain(ID);
    const found = await api.get(`/api/v1/customers/lookup?kind=wecom_external_userid&value=${ID}`, bearer(viewer));
    expect(found.body.identities).toEqual([{ kind: 'wecom_external_userid', value: 'wmZx****OpQr' }]);
    expect((await api.get('/api/v1/customers/C1', bearer(admin))).body.identities).toEqual([{ kind: 'wecom_external_userid', value: ID }]);
  });
});
