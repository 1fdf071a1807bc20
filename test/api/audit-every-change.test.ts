import { expect } from 'vitest';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer, type Reply } from './support.js';

/**
 * Every change a user can make through the API leaves an entry in the audit trail saying who,
 * what and when: each route that changes something is called here once, as an administrator
 * would, and a route added without a call here fails the test.
 */
forEachStore('API: an audit entry for every change', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });

  /** The calls that change nothing or are not recorded, and why (docs/api.md, "The audit trail"). */
  const NOT_CHANGES = new Set(['/tags/preview', '/segments/count', '/segments/preview', '/segments/overlap', '/segments/insight']);
  const NOT_RECORDED: Record<string, string> = {
    'POST /events': 'events stream in from integrations; each stored event keeps when it was received',
    'POST /events/journal/:batch/retry': 'retries a batch that failed to store; there is none to retry here (the whole journal\'s retry is called)',
  };

  it('records each change with the token\'s owner, the call and the time, whatever the route', async () => {
    const admin = (await createAccessToken(h.store(), { name: '审计-管理员', role: 'admin' }, h.clock.now())).token;
    const headers = { authorization: `Bearer ${admin}` };
    const missing: string[] = [];
    const called = new Set<string>();
    /** Calls the route, then reads the newest entry: it must be this call's, at this moment, by this token. */
    const change = async (method: string, route: string, url: string, body: unknown, recordedAs = `${method} ${route}`): Promise<Reply> => {
      h.clock.advance(1000);
      called.add(`${method} ${route}`);
      const answer = await api.call(method as 'POST', `/api/v1${url}`, body, headers);
      expect(answer.status, `${method} ${url}: ${answer.text}`).toBeLessThan(300);
      const newest = await h.store().db.selectFrom('audit_log').select(['actor', 'action', 'at']).orderBy('id', 'desc').limit(1).executeTakeFirst();
      if (!newest || newest.actor !== '审计-管理员' || newest.action !== recordedAs || Number(newest.at) !== h.clock.now().getTime()) missing.push(`${method} ${route}: newest entry ${JSON.stringify(newest)}`);
      return answer;
    };

    await change('PATCH', '/workspace', '/workspace', { name: '审计店' });
    await change('POST', '/fields', '/fields', { key: 'shoe', name: '鞋码', type: 'number' });
    await change('POST', '/customers', '/customers', { customers: [{ id: 'C1', name: '张伟', identities: [{ kind: 'phone', value: '13812345678' }] }, { id: 'C2', name: '李雷' }, { id: 'C3', name: '张伟' }] });
    await change('POST', '/tag-groups', '/tag-groups', { key: 'grp', name: '分组' });
    await change('PATCH', '/tag-groups/:group', '/tag-groups/grp', { name: '分组二' });
    await change('POST', '/tags', '/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }, { key: 'post', name: '售后' }] });
    await change('PATCH', '/tags/:tag', '/tags/stage', { description: '客户所处的服务阶段' });
    await change('POST', '/tags/:tag/values', '/tags/stage/values', { key: 'won', name: '已成交' });
    await change('PATCH', '/tags/:tag/values/:value', '/tags/stage/values/won', { name: '成交' });
    await change('DELETE', '/tags/:tag/values/:value', '/tags/stage/values/won', undefined);
    await change('DELETE', '/tag-groups/:group', '/tag-groups/grp', undefined);
    await change('POST', '/customers/:id/tags', '/customers/C1/tags', { tag: 'stage', value: 'pre' });
    await change('DELETE', '/customers/:id/tags/:tag', '/customers/C1/tags/stage', undefined);
    const assigned = await change('POST', '/tags/:tag/assign', '/tags/stage/assign', { value: 'pre', customers: ['C1', 'C2'] });
    await change('POST', '/tags/:tag/unassign', '/tags/stage/unassign', { customers: ['C2'] });
    await change('POST', '/tagging/operations/:operation/undo', `/tagging/operations/${String(assigned.body.operation)}/undo`, undefined);
    await change('POST', '/tags/:tag/transitions/tag', '/tags/stage/transitions/tag', { from_value: 'pre', to_value: 'post', tag: 'stage', value: 'post' });
    await change('POST', '/metrics', '/metrics', { key: 'orders', name: '订单数', aggregation: 'count', event_type: 'order_paid' });
    await change('POST', '/segments', '/segments', { key: 'seg', name: '人群', expression: 'name exists' });
    await change('PATCH', '/segments/:segment', '/segments/seg', { name: '人群二' });
    const snapshot = await change('POST', '/segments/:segment/snapshots', '/segments/seg/snapshots', undefined);
    await change('DELETE', '/segments/:segment/snapshots/:snapshot', `/segments/seg/snapshots/${String(snapshot.body.id)}`, undefined);
    await change('POST', '/segments/tag', '/segments/tag', { segment: 'seg', tag: 'stage', value: 'pre' });
    await change('POST', '/segments/export', '/segments/export?format=csv', { expression: 'name exists' });
    await change('DELETE', '/segments/:segment', '/segments/seg', undefined);
    await change('PUT', '/models/:model', '/models/rfm', { params: {} });
    await change('POST', '/models/:model/refresh', '/models/rfm/refresh', undefined);
    await change('DELETE', '/models/:model', '/models/rfm', undefined);
    await change('POST', '/templates/:template/apply', '/templates/retail/apply', undefined);
    const webhook = (await change('POST', '/webhooks', '/webhooks', { url: 'http://127.0.0.1:47913/hooks' })).body.id as number;
    await change('PATCH', '/webhooks/:webhook', `/webhooks/${webhook}`, { tags: ['stage'] });
    await change('POST', '/webhooks/:webhook/test', `/webhooks/${webhook}/test`, undefined);
    await change('POST', '/webhooks/:webhook/secret', `/webhooks/${webhook}/secret`, undefined);
    await change('POST', '/webhooks/:webhook/pause', `/webhooks/${webhook}/pause`, undefined);
    await change('POST', '/webhooks/:webhook/resume', `/webhooks/${webhook}/resume`, undefined);
    await change('POST', '/webhooks/:webhook/retry', `/webhooks/${webhook}/retry`, undefined);
    await change('DELETE', '/webhooks/:webhook', `/webhooks/${webhook}`, undefined);
    await change('POST', '/care/plans', '/care/plans', { key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }] });
    await change('PATCH', '/care/plans/:plan', '/care/plans/thanks', { name: '购后致谢' });
    expect((await api.post('/api/v1/events', { events: [{ id: 'o1', customer_id: 'C1', type: 'order_paid', occurred_at: h.clock.now().toISOString(), properties: { order_id: 'O1', amount: 399 } }] }, headers)).status).toBe(200);
    await change('POST', '/care/run', '/care/run', undefined);
    const reminders = (await api.get('/api/v1/care/reminders', headers)).body.items as { id: number }[];
    expect(reminders.length).toBeGreaterThan(0);
    await change('PATCH', '/care/reminders/:reminder', `/care/reminders/${String(reminders[0]?.id)}`, { status: 'done' }, 'PATCH /care/reminders/:reminder?done');
    await change('DELETE', '/care/plans/:plan', '/care/plans/thanks', undefined);
    await change('POST', '/customers/:id/merge', '/customers/C1/merge', { from: 'C3' });
    await change('DELETE', '/customers/:id/identities/:kind/:value', '/customers/C1/identities/phone/13812345678', undefined);
    await change('POST', '/imports/:kind', '/imports/customers', { text: 'id,name\nC9,王五\n' });
    await change('POST', '/events/journal/retry', '/events/journal/retry', undefined);
    await change('DELETE', '/customers/:id', '/customers/C2', undefined);
    // A tag someone holds is not deleted.
    expect((await api.post('/api/v1/tags/stage/unassign', { customers: ['C1'] }, headers)).status).toBe(200);
    await change('DELETE', '/tags/:tag', '/tags/stage', undefined);
    const other = `${h.workspaceKey()}-b`;
    await change('POST', '/workspaces', '/workspaces', { key: other, name: '分店' });
    await change('DELETE', '/workspaces/:key', `/workspaces/${other}?confirm=${other}`, undefined);
    await change('POST', '/tokens', '/tokens', { name: '审计-导购', role: 'operator' }, 'token create');
    await change('DELETE', '/tokens/:name', `/tokens/${encodeURIComponent('审计-导购')}`, undefined, 'token revoke');

    expect(missing).toEqual([]);
    const changes = api
      .routes()
      .filter((route) => route.method !== 'GET' && !NOT_CHANGES.has(route.url.slice('/api/v1'.length)))
      .map((route) => `${route.method} ${route.url.slice('/api/v1'.length)}`)
      .filter((route) => NOT_RECORDED[route] === undefined);
    // The demo is recorded by the load itself, in the workspace it fills (test/api/demo.test.ts).
    expect(changes.filter((route) => !called.has(route) && route !== 'POST /demo')).toEqual([]);
  });
});
