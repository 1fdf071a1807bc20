// A webhook's URL is listed with its password as `***`, and a URL sent back so, with the same
// user, keeps the password it had. With another user before it (the user changed, the password
// left as listed), or on a webhook that had no password, or on a new webhook (a URL copied from
// another one's listing), there is no password to keep: the webhook was saved with the password
// `***`, and every post then went to the receiver as that user with `***`, refused as 401 there.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from '../api/support.js';

forEachStore('a webhook URL with the hidden password and nothing to keep is refused', (h) => {
  const api = useServer(h);

  it('refuses *** as a password it cannot keep, and keeps it for the same user', async () => {
    const copied = await api.post('/api/v1/webhooks', { url: 'https://crm:***@crm.example.com/hooks' });
    expect(copied.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ path: 'url', pointer: '#/url', message: expect.stringContaining('***') }] });
    expect((await api.get('/api/v1/webhooks')).body.items).toEqual([]);

    const made = await api.post('/api/v1/webhooks', { url: 'https://crm:s3cret-pass@crm.example.com/hooks' });
    const path = `/api/v1/webhooks/${String(made.body.id)}`;
    const otherUser = await api.patch(path, { url: 'https://erp:***@crm.example.com/hooks' }, { 'accept-language': 'zh-CN' });
    expect(otherUser.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ path: 'url', message: expect.stringContaining('***') }] });
    expect(otherUser.body.detail).toMatch(/密码/);
    // The same user keeps the password; a new password, written out, is taken.
    expect((await api.patch(path, { url: 'https://crm:***@crm.example.com/v2' })).body).toMatchObject({ url: 'https://crm:***@crm.example.com/v2' });
    expect((await api.patch(path, { url: 'https://erp:new-pass@crm.example.com/v2' })).body).toMatchObject({ url: 'https://erp:***@crm.example.com/v2' });

    const bare = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/bare' });
    const hidden = await api.patch(`/api/v1/webhooks/${String(bare.body.id)}`, { url: 'https://crm:***@crm.example.com/bare' });
    expect(hidden.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ path: 'url' }] });
    expect((await api.get(`/api/v1/webhooks/${String(bare.body.id)}`)).body.url).toBe('https://crm.example.com/bare');
  });
});
