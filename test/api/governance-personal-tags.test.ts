// The governance review's candidates for the shared library name other staff members' personal
// tags and their owners: an administrator's to read, no one else's. Shared tags whose names read
// as one are everyone's to see, and no personal tag is among them.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { ensureRoleTokens, useServer } from './support.js';

forEachStore("API: the governance review's personal tags", (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const tokens = { admin: '', operator: '', viewer: '' };

  it('lists personal tags several staff made, with their owners, to an administrator only', async () => {
    await ensureRoleTokens(h, tokens);
    const personal = (key: string, name: string) => ({ key, name, scope: 'personal', values: [{ key: 'yes', name: '是' }] });
    expect((await api.post('/api/v1/tags', personal('golf_a', '高尔夫球友'), bearer(tokens.admin))).status).toBe(201);
    expect((await api.post('/api/v1/tags', personal('golf_b', '高尔夫 球友'), bearer(tokens.operator))).status).toBe(201);
    const review = async (token: string) => (await api.get('/api/v1/governance?min_owners=2', bearer(token))).body as { promotion_candidates: { owners: string[]; tags: { tag: string }[] }[]; findings: number };
    const admin = await review(tokens.admin);
    expect(admin.promotion_candidates).toEqual([expect.objectContaining({ owners: ['导购', '管理员'].sort(), tags: [expect.objectContaining({ tag: 'golf_a' }), expect.objectContaining({ tag: 'golf_b' })] })]);
    for (const token of [tokens.operator, tokens.viewer]) {
      const other = await review(token);
      expect(other.promotion_candidates).toEqual([]);
      expect(other.findings).toBe(admin.findings - 1);
      expect(JSON.stringify(other)).not.toContain('golf_');
    }
  });

  it('names shared tags whose names read as one to every role, and no personal tag among them', async () => {
    await ensureRoleTokens(h, tokens);
    await api.post('/api/v1/tag-groups', { key: 'value', name: '价值' }, bearer(tokens.admin));
    const tag = (key: string, name: string, extra: object = {}) => ({ key, name, ...extra, values: [{ key: 'yes', name: '是' }] });
    expect((await api.post('/api/v1/tags', tag('high_value', '高价值', { group: 'value' }), bearer(tokens.admin))).status).toBe(201);
    expect((await api.post('/api/v1/tags', tag('high_value_2', '高 价值'), bearer(tokens.admin))).status).toBe(201);
    expect((await api.post('/api/v1/tags', tag('my_high_value', '高-价值', { scope: 'personal' }), bearer(tokens.operator))).status).toBe(201);
    const expected = [
      {
        normalised_name: '高价值',
        tags: [
          { tag: 'high_value', name: '高价值', kind: 'manual', group: 'value' },
          { tag: 'high_value_2', name: '高 价值', kind: 'manual', group: null },
        ],
      },
    ];
    for (const token of [tokens.admin, tokens.operator, tokens.viewer]) {
      const review = (await api.get('/api/v1/governance', bearer(token))).body as { duplicate_tags: unknown; findings: number };
      expect(review.duplicate_tags).toEqual(expected);
      // Without customers, nothing else is found.
      expect(review.findings).toBe(1);
      expect(JSON.stringify(review)).not.toContain('my_high_value');
    }
  });
});
