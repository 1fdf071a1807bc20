// Taking one identity away from a customer through the API: the value read as stored values are
// written or as a masked role sees it, the index's reachability fields and the rule tags reading
// them following without a rebuild, the identity free for another customer, the audit entry masked.
import { expect } from 'vitest';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: removing an identity', (h) => {
  const registry = new IndexRegistry();
  const api = useServer(h, { index: registry, tokensReadEveryMs: 0 });

  async function members(expression: string): Promise<string[]> {
    const reply = await api.post('/api/v1/segments/preview?limit=500', { expression });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return (reply.body.items as { id: string }[]).map((item) => item.id).sort();
  }
  const smsTag = async (id: string) => ((await api.get(`/api/v1/customers/${id}`)).body.tags as { tag: string; value: string }[]).find((t) => t.tag === 'sms_ok')?.value ?? null;

  it('takes a phone away in the form it was written, follows in the index and the rules, and frees the number', async () => {
    await api.post('/api/v1/customers', {
      customers: [
        { id: 'R1', name: '张伟', identities: [{ kind: 'phone', value: '13800138000' }, { kind: 'email', value: 'zw@example.com' }] },
        { id: 'R2', name: '李娜' },
      ],
    });
    expect((await api.post('/api/v1/tags', { key: 'sms_ok', name: '可短信触达', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'has_phone = true' }] })).status).toBe(201);
    expect(await smsTag('R1')).toBe('yes');
    expect(await members('has_phone = true')).toEqual(['R1']);
    const index = await registry.get(h.context());

    const removed = await api.del(`/api/v1/customers/R1/identities/phone/${encodeURIComponent('+86 138-0013-8000')}`, { 'x-tagbase-actor': encodeURIComponent('运营-小李') });
    expect(removed.status, removed.text).toBe(204);
    const portrait = (await api.get('/api/v1/customers/R1')).body;
    expect(portrait.customer ?? portrait).toMatchObject({ has_phone: false, has_email: true, identities: [{ kind: 'email', value: 'zw@example.com' }] });
    expect(await members('has_phone = true')).toEqual([]);
    expect(await smsTag('R1')).toBeNull();
    expect(await registry.get(h.context())).toBe(index);

    // The number is free: R2 takes it without IDENTITY_CONFLICT.
    const given = await api.post('/api/v1/customers', { customers: [{ id: 'R2', identities: [{ kind: 'phone', value: '13800138000' }] }] });
    expect(given.status, given.text).toBe(200);
    expect(await members('has_phone = true')).toEqual(['R2']);
    expect(await smsTag('R2')).toBe('yes');

    // Recorded with the number masked.
    const trail = (await api.get('/api/v1/audit', { 'accept-language': 'zh-CN' })).body.items as { action: string; summary: string; target: string; actor: string; status: number }[];
    expect(trail.find((item) => item.action === 'DELETE /customers/:id/identities/:kind/:value')).toMatchObject({ actor: '运营-小李', summary: '移除客户的身份标识', target: `/customers/R1/identities/phone/${encodeURIComponent('138****8000')}`, status: 204 });
    expect(JSON.stringify(trail)).not.toContain('13800138000');
  });

  it('answers IDENTITY_NOT_FOUND and CUSTOMER_NOT_FOUND, in both languages, and refuses what is no identity', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'N1', identities: [{ kind: 'member_card', value: 'VIP-0001' }] }] });
    const missing = await api.del('/api/v1/customers/N1/identities/phone/13900139000', { 'accept-language': 'zh-CN' });
    expect(missing.body).toMatchObject({ status: 404, code: 'IDENTITY_NOT_FOUND', detail: '客户「N1」没有手机号「13900139000」。' });
    expect((await api.del('/api/v1/customers/N1/identities/member_card/VIP-0002', { 'accept-language': 'en' })).body).toMatchObject({ status: 404, code: 'IDENTITY_NOT_FOUND', detail: 'Customer "N1" has no member_card "VIP-0002".' });
    expect((await api.del('/api/v1/customers/NOPE/identities/member_card/VIP-0001')).body).toMatchObject({ status: 404, code: 'CUSTOMER_NOT_FOUND' });
    expect((await api.del('/api/v1/customers/N1/identities/fax/123')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await api.del('/api/v1/customers/N1/identities/phone/abc')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    // Nothing went with the refusals.
    expect((await api.get('/api/v1/customers/N1')).body).toMatchObject({ has_member_card: true });
  });

  it('lets an operator, who sees identifiers masked, remove one by its masked form; a viewer may not remove any', async () => {
    await api.post('/api/v1/customers', {
      customers: [
        { id: 'M1', identities: [{ kind: 'phone', value: '13812345678' }, { kind: 'phone', value: '13912345678' }, { kind: 'member_card', value: 'A-5678' }, { kind: 'member_card', value: 'B-5678' }] },
      ],
    });
    const operator = { authorization: `Bearer ${(await createAccessToken(h.store(), { name: '导购-王芳', role: 'operator' }, h.clock.now())).token}` };
    const viewer = { authorization: `Bearer ${(await createAccessToken(h.store(), { name: '分析-小陈', role: 'viewer' }, h.clock.now())).token}` };
    const admin = { authorization: `Bearer ${(await createAccessToken(h.store(), { name: '管理员-李娜', role: 'admin' }, h.clock.now())).token}` };
    const shown = ((await api.get('/api/v1/customers/M1', operator)).body.identities as { kind: string; value: string }[]).map((identity) => identity.value);
    expect(shown).toEqual(['****5678', '****5678', '138****5678', '139****5678']);

    expect((await api.del(`/api/v1/customers/M1/identities/phone/${encodeURIComponent('138****5678')}`, viewer)).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await api.del(`/api/v1/customers/M1/identities/phone/${encodeURIComponent('138****5678')}`, operator)).status).toBe(204);
    // Two cards look alike masked: the operator is asked for the whole number rather than one being guessed.
    expect((await api.del(`/api/v1/customers/M1/identities/member_card/${encodeURIComponent('****5678')}`, operator)).body).toMatchObject({ status: 409, code: 'IDENTITY_AMBIGUOUS' });
    expect((await api.del('/api/v1/customers/M1/identities/member_card/B-5678', operator)).status).toBe(204);
    const left = (await api.get('/api/v1/customers/M1', admin)).body.identities as { kind: string; value: string }[];
    expect(left).toEqual([{ kind: 'member_card', value: 'A-5678' }, { kind: 'phone', value: '13912345678' }]);
  });
});
