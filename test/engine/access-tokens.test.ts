import { expect } from 'vitest';
import { AccessTokenDirectory, createAccessToken, hashAccessToken, listAccessTokens, revokeAccessToken } from '../../src/engine/access-tokens.js';
import { forEachStore, it } from '../support/stores.js';

forEachStore('access tokens', (h) => {
  it('makes a token shown once, keeps only its hash, and knows who it belongs to', async () => {
    const made = await createAccessToken(h.store(), { name: ' 导购-王芳 ', role: 'operator' }, h.clock.now());
    expect(made).toMatchObject({ name: '导购-王芳', role: 'operator', created_at: h.clock.now().toISOString(), revoked_at: null });
    expect(made.token).toMatch(/^tb_[A-Za-z0-9_-]{43}$/);
    const stored = await h.store().db.selectFrom('access_tokens').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(made.token);
    expect(stored.map((row) => row.token_hash)).toContain(hashAccessToken(made.token));
    const directory = new AccessTokenDirectory(h.store(), 0);
    expect(await directory.required()).toBe(true);
    expect(await directory.principalOf(made.token)).toEqual({ name: '导购-王芳', role: 'operator', workspaces: null });
    expect(await directory.principalOf(`${made.token}x`)).toBeUndefined();
    await revokeAccessToken(h.store(), '导购-王芳', h.clock.now());
  });

  it('refuses a second live token of one name, an unknown role and an empty name; a revoked name can be used again', async () => {
    await createAccessToken(h.store(), { name: 'crm-sync', role: 'operator' }, h.clock.now());
    await expect(createAccessToken(h.store(), { name: 'crm-sync', role: 'viewer' }, h.clock.now())).rejects.toMatchObject({ code: 'ACCESS_TOKEN_NAME_TAKEN' });
    await expect(createAccessToken(h.store(), { name: 'x', role: 'owner' }, h.clock.now())).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(createAccessToken(h.store(), { name: '  ', role: 'viewer' }, h.clock.now())).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(revokeAccessToken(h.store(), 'nobody', h.clock.now())).rejects.toMatchObject({ code: 'ACCESS_TOKEN_NOT_FOUND' });
    // Checked as every other name is: nothing visible, or a control character in it, is refused; invisible marks at its ends are trimmed.
    for (const name of ['\u202e', '\u200b\u2066', 'crm\nsync', 'crm\tsync', 'x'.repeat(65)]) {
      await expect(createAccessToken(h.store(), { name, role: 'viewer' }, h.clock.now()), JSON.stringify(name)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', items: [{ path: 'name' }] });
    }
    await expect(createAccessToken(h.store(), { name: 'crm\nsync', role: 'viewer' }, h.clock.now())).rejects.toMatchObject({ items: [{ localized: { 'zh-CN': '名称中不能含有换行、制表符或其他控制字符' } }] });
    expect((await createAccessToken(h.store(), { name: '\u202e报表\u200b', role: 'viewer' }, h.clock.now())).name).toBe('报表');
    // Named for revoking as it was when made, its invisible marks trimmed alike.
    expect((await revokeAccessToken(h.store(), '\u200b报表\u202e', h.clock.now())).name).toBe('报表');
    const revoked = await revokeAccessToken(h.store(), 'crm-sync', h.clock.now());
    expect(revoked.revoked_at).toBe(h.clock.now().toISOString());
    await createAccessToken(h.store(), { name: 'crm-sync', role: 'viewer' }, h.clock.now());
    const listed = await listAccessTokens(h.store());
    expect(listed.filter((token) => token.name === 'crm-sync').map((token) => [token.role, token.revoked_at === null])).toEqual([
      ['viewer', true],
      ['operator', false],
    ]);
    expect(JSON.stringify(listed)).not.toContain('tb_');
  });

  it('reads the tokens again only when what it read is older than its limit', async () => {
    const directory = new AccessTokenDirectory(h.store(), 60_000);
    const before = await directory.required();
    const made = await createAccessToken(h.store(), { name: 'late', role: 'viewer' }, h.clock.now());
    expect(await directory.principalOf(made.token)).toBeUndefined();
    directory.invalidate();
    expect(await directory.principalOf(made.token)).toEqual({ name: 'late', role: 'viewer', workspaces: null });
    expect(before).toBe(true);
  });

  it('refuses a token once it has expired, yet keeps asking for tokens, and writes down when each was last used', async () => {
    const directory = new AccessTokenDirectory(h.store(), 0, h.clock.now);
    const made = await createAccessToken(h.store(), { name: '临时-小张', role: 'viewer', expiresInDays: 1 }, h.clock.now());
    expect(made.expires_at).toBe(new Date(h.clock.now().getTime() + 86_400_000).toISOString());
    expect(made.last_used_at).toBeNull();
    expect(await directory.principalOf(made.token)).toEqual({ name: '临时-小张', role: 'viewer', workspaces: null });
    const usedAt = h.clock.now().toISOString();
    await directory.writeUsage();
    expect((await listAccessTokens(h.store())).find((token) => token.name === '临时-小张')?.last_used_at).toBe(usedAt);
    h.clock.advance(86_400_000);
    expect(await directory.principalOf(made.token)).toBeUndefined();
    expect(await directory.required()).toBe(true);
    await expect(createAccessToken(h.store(), { name: 'y', role: 'viewer', expiresInDays: 0 }, h.clock.now())).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(createAccessToken(h.store(), { name: 'y', role: 'viewer', expiresInDays: 1.5 }, h.clock.now())).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await revokeAccessToken(h.store(), '临时-小张', h.clock.now());
  });

  it('keeps an administrator for every workspace when two of them are revoked at once, refusing one with LAST_ADMIN_TOKEN', async () => {
    await createAccessToken(h.store(), { name: '管理员-甲', role: 'admin' }, h.clock.now());
    await createAccessToken(h.store(), { name: '管理员-乙', role: 'admin' }, h.clock.now());
    await createAccessToken(h.store(), { name: '导购-丙', role: 'operator' }, h.clock.now());
    const by = { actor: 'tester', source: 'api' as const };
    // Both connections open beforehand (PostgreSQL), so that neither revoke waits for one while the other runs.
    await Promise.all([1, 2].map(() => h.store().db.transaction().execute((trx) => trx.selectFrom('access_tokens').select('id').execute())));
    const outcomes = await Promise.allSettled(['管理员-甲', '管理员-乙'].map((name) => revokeAccessToken(h.store(), name, h.clock.now(), by, { keepAnAdministrator: true })));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [(outcome.reason as { code?: string }).code] : []))).toEqual(['LAST_ADMIN_TOKEN']);
    const live = (await listAccessTokens(h.store())).filter((token) => token.revoked_at === null);
    expect(live.filter((token) => token.role === 'admin' && token.workspaces === null)).toHaveLength(1);
    // The refused revoke left no trace in the audit trail; the command line still revokes the last one.
    expect(await h.store().db.selectFrom('audit_log').select('target').where('action', '=', 'token revoke').where('target', 'in', ['管理员-甲', '管理员-乙']).execute()).toHaveLength(1);
    const last = live.find((token) => token.role === 'admin');
    await revokeAccessToken(h.store(), last?.name ?? '', h.clock.now());
    await revokeAccessToken(h.store(), '导购-丙', h.clock.now());
  });

  it('counts an expired administrator token as no administrator when keeping one: revoking the last one still accepted is LAST_ADMIN_TOKEN', async () => {
    await createAccessToken(h.store(), { name: '管理员-临时', role: 'admin', expiresInDays: 1 }, h.clock.now());
    await createAccessToken(h.store(), { name: '管理员-常任', role: 'admin' }, h.clock.now());
    await createAccessToken(h.store(), { name: '导购-丁', role: 'operator' }, h.clock.now());
    h.clock.advance(86_400_000);
    const by = { actor: '管理员-常任', source: 'api' as const };
    // The expired one is refused at the door: nobody would be left to manage tokens over the API.
    await expect(revokeAccessToken(h.store(), '管理员-常任', h.clock.now(), by, { keepAnAdministrator: true })).rejects.toMatchObject({ code: 'LAST_ADMIN_TOKEN' });
    expect((await listAccessTokens(h.store())).find((token) => token.name === '管理员-常任')?.revoked_at).toBeNull();
    // Revoking the expired one is tidying up, and allowed.
    await revokeAccessToken(h.store(), '管理员-临时', h.clock.now(), by, { keepAnAdministrator: true });
    await revokeAccessToken(h.store(), '管理员-常任', h.clock.now());
    await revokeAccessToken(h.store(), '导购-丁', h.clock.now());
  });
});
