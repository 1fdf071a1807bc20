// A webhook whose every post has failed for 3 days pauses itself, keeps what it has not
// delivered, says so in the audit trail, and starts its 3 days again once resumed.
import { afterAll, beforeAll, expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { listenForPosts, type LocalReceiver } from '../support/webhook-receiver.js';
import { assignTag } from '../../src/engine/tagging.js';
import { listAudit } from '../../src/engine/audit.js';
import { createWebhook, deliverWebhooks, listWebhooks, pauseWebhook, resumeWebhook, updateWebhook, WEBHOOK_AUTO_PAUSE_MS } from '../../src/engine/webhooks.js';
import { addInterestsAndCustomerA } from './support.js';

const HOUR = 3_600_000;

/** A receiver that answers every post with `status`, keeping the values of the changes posted. */
class Receiver {
  status = 500;
  readonly values: string[][] = [];
  private local: LocalReceiver | undefined;
  url = '';

  async start(): Promise<void> {
    this.local = await listenForPosts((_request, text, response) => {
      const body = JSON.parse(text) as { changes: { value: string }[] };
      if (this.status < 300) this.values.push(body.changes.map((change) => change.value));
      response.statusCode = this.status;
      response.end();
    });
    this.url = this.local.url;
  }

  async stop(): Promise<void> {
    await this.local?.close();
  }
}

forEachStore('webhooks paused after failing for days', (h) => {
  const receiver = new Receiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  it('is three days', () => {
    expect(WEBHOOK_AUTO_PAUSE_MS).toBe(72 * HOUR);
  });

  it('pauses a webhook whose posts have all failed for 3 days, in the audit trail, and posts what it kept once resumed', async () => {
    const ctx = await addInterestsAndCustomerA(h.context('运营-王芳'));
    const webhook = await createWebhook(ctx, { url: receiver.url });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    const state = async () => (await listWebhooks(ctx)).find((each) => each.id === webhook.id);
    const start = h.clock.now().getTime();
    receiver.status = 500;
    await deliverWebhooks(ctx.store, { now: () => start });
    expect(await state()).toMatchObject({ failures: 1, failing_since: new Date(start).toISOString(), paused_at: null, paused_reason: null });
    // Every hour up to a moment short of 3 days: still tried.
    for (let at = start + HOUR; at < start + WEBHOOK_AUTO_PAUSE_MS; at += HOUR) await deliverWebhooks(ctx.store, { now: () => at });
    expect(await state()).toMatchObject({ failures: 72, failing_since: new Date(start).toISOString(), paused_at: null, paused_reason: null });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['A'], source: 'manual' });
    const pausedAt = start + WEBHOOK_AUTO_PAUSE_MS;
    await deliverWebhooks(ctx.store, { now: () => pausedAt });
    expect(await state()).toMatchObject({ failures: 73, last_error: 'HTTP 500', paused_at: new Date(pausedAt).toISOString(), paused_by: 'system', paused_reason: 'failing', next_attempt_at: null });
    const audit = await listAudit(ctx.store, { workspaceId: ctx.workspaceId, limit: 10, serverWide: false }, 'en');
    expect(audit.items.map(({ actor, source, action, target, status, at }) => ({ actor, source, action, target, status, at }))).toEqual([
      { actor: 'system', source: 'system', action: 'webhook auto-pause', target: `/webhooks/${webhook.id}`, status: null, at: new Date(pausedAt).toISOString() },
    ]);
    expect(audit.items[0]?.summary).toBe('paused a webhook that had failed for 3 days');
    // Paused: nothing more is tried, however long it waits, and nothing is lost.
    receiver.status = 200;
    await deliverWebhooks(ctx.store, { now: () => pausedAt + 10 * HOUR });
    expect(receiver.values).toEqual([]);
    const resumedAt = pausedAt + 10 * HOUR;
    expect(await resumeWebhook({ ...ctx, now: () => new Date(resumedAt) }, webhook.id)).toMatchObject({ paused_at: null, paused_by: null, paused_reason: null, failing_since: null, failures: 73 });
    await deliverWebhooks(ctx.store, { now: () => resumedAt });
    expect(receiver.values).toEqual([['golf', 'yoga']]);
    expect(await state()).toMatchObject({ failures: 0, failing_since: null, paused_at: null });
    receiver.values.length = 0;
  });

  it('counts the 3 days from the first failure since a post got through, and again from a resume', async () => {
    const ctx = await addInterestsAndCustomerA(h.context());
    const webhook = await createWebhook(ctx, { url: receiver.url });
    const state = async () => (await listWebhooks(ctx)).find((each) => each.id === webhook.id);
    const start = h.clock.now().getTime();
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    receiver.status = 500;
    await deliverWebhooks(ctx.store, { now: () => start });
    // Got through two days in: the failures before it no longer count.
    receiver.status = 200;
    await deliverWebhooks(ctx.store, { now: () => start + 48 * HOUR });
    expect(await state()).toMatchObject({ failures: 0, failing_since: null });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['A'], source: 'manual' });
    receiver.status = 500;
    await deliverWebhooks(ctx.store, { now: () => start + 49 * HOUR });
    await deliverWebhooks(ctx.store, { now: () => start + WEBHOOK_AUTO_PAUSE_MS + HOUR });
    expect(await state()).toMatchObject({ failures: 2, failing_since: new Date(start + 49 * HOUR).toISOString(), paused_at: null });
    // Paused by hand meanwhile, then resumed: its 3 days start again from its next failure.
    const resumedAt = start + 49 * HOUR + WEBHOOK_AUTO_PAUSE_MS + HOUR;
    expect(await pauseWebhook(ctx, webhook.id)).toMatchObject({ paused_reason: 'manual' });
    expect(await resumeWebhook({ ...ctx, now: () => new Date(resumedAt) }, webhook.id)).toMatchObject({ paused_reason: null, failing_since: null });
    await deliverWebhooks(ctx.store, { now: () => resumedAt });
    expect(await state()).toMatchObject({ failures: 3, failing_since: new Date(resumedAt).toISOString(), paused_at: null });
    // A new URL ends the run of failures as well.
    expect(await updateWebhook(ctx, webhook.id, { url: `${receiver.url}/new` })).toMatchObject({ failures: 0, failing_since: null });
    expect((await listAudit(ctx.store, { workspaceId: ctx.workspaceId, limit: 10, serverWide: false }, 'en')).items).toEqual([]);
  });

  it('tells a pause by hand from one after failures, and tries neither', async () => {
    const ctx = await addInterestsAndCustomerA(h.context('运营-王芳'));
    const webhook = await createWebhook(ctx, { url: receiver.url });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    const start = h.clock.now().getTime();
    receiver.status = 500;
    await deliverWebhooks(ctx.store, { now: () => start });
    expect(await pauseWebhook(ctx, webhook.id)).toMatchObject({ paused_by: '运营-王芳', paused_reason: 'manual', failing_since: new Date(start).toISOString() });
    await deliverWebhooks(ctx.store, { now: () => start + WEBHOOK_AUTO_PAUSE_MS });
    expect((await listWebhooks(ctx)).find((each) => each.id === webhook.id)).toMatchObject({ failures: 1, paused_by: '运营-王芳', paused_reason: 'manual' });
  });
});
