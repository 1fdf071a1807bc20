// Webhooks post tag changes, segment changes and care reminders to a real HTTP receiver on
// loopback: in order, signed, from the moment they were made, limited to the tags and segments
// asked for, and again after the receiver failed.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { listenForPosts, type LocalReceiver } from '../support/webhook-receiver.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { assignTag, removeTag } from '../../src/engine/tagging.js';
import {
  createWebhook,
  DELIVERIES_KEPT,
  deleteWebhook,
  deliverWebhooks,
  listWebhookDeliveries,
  listWebhooks,
  pauseWebhook,
  resumeWebhook,
  retryWebhook,
  rotateWebhookSecret,
  startWebhookDelivery,
  testWebhook,
  updateWebhook,
  webhookSignature,
  WEBHOOK_BATCH,
  type SegmentChangeJson,
  type TagChangeJson,
} from '../../src/engine/webhooks.js';
import { createSegment, deleteSegment, updateSegment } from '../../src/engine/segments.js';
import { updateTag } from '../../src/engine/library.js';
import { eraseCustomer } from '../../src/engine/erasure.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { getCustomerHistory, getPortrait } from '../../src/engine/portrait.js';
import { indexAudience } from '../../src/index/audience.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { watchSegments } from '../../src/engine/segment-watch.js';
import type { Audience } from '../../src/engine/segments.js';
import { createCarePlan, listReminders, runCare, snoozeReminder, type CareReminderJson } from '../../src/engine/care.js';
import { addInterestsAndCustomerA, defineTag, interests, rejected, stage } from './support.js';
import { deleteWorkspace } from '../../src/engine/workspace-deletion.js';

interface Received {
  path: string;
  signature: string;
  webhook: string;
  topic: string;
  authorization: string | undefined;
  timestamp: string;
  timedSignature: string;
  body: { webhook: number; workspace: string; changes: (TagChangeJson & SegmentChangeJson)[]; reminders?: CareReminderJson[]; test?: boolean; sent_at?: string };
  text: string;
}

/** A receiver that answers each post with the next status of `answers` (200 once they run out). */
class Receiver {
  readonly posts: Received[] = [];
  answers: number[] = [];
  /** Where an answer of 3xx points. */
  location: string | undefined;
  private local: LocalReceiver | undefined;
  url = '';

  async start(): Promise<void> {
    this.local = await listenForPosts((request, text, response) => {
      this.posts.push({ path: request.url ?? '', signature: String(request.headers['x-tagbase-signature']), webhook: String(request.headers['x-tagbase-webhook']), topic: String(request.headers['x-tagbase-topic']), authorization: request.headers.authorization, timestamp: String(request.headers['x-tagbase-timestamp']), timedSignature: String(request.headers['x-tagbase-signature-timed']), body: JSON.parse(text) as Received['body'], text });
      response.statusCode = this.answers.shift() ?? 200;
      if (response.statusCode >= 300 && response.statusCode < 400 && this.location !== undefined) response.setHeader('location', this.location);
      response.end();
    });
    this.url = this.local.url;
  }

  async stop(): Promise<void> {
    await this.local?.close();
  }
}

/**
 * A receiver that takes each post and answers it with `status` only once `release()` is called:
 * while it holds one, a round waits on it. `bodies` are the posts it has taken, `answered` whether it answered one.
 */
async function heldReceiver(status = 200) {
  let release = () => undefined as void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const bodies: string[] = [];
  let answered = false;
  const local = await listenForPosts((_request, body, response) => {
    response.on('close', () => (answered = true));
    bodies.push(body);
    void held.then(() => {
      response.statusCode = status;
      response.end();
    });
  });
  return {
    url: `${local.url}/slow`,
    bodies,
    received: () => bodies.length > 0,
    answered: () => answered,
    release: () => release(),
    close: async () => {
      release();
      await local.close();
    },
  };
}

forEachStore('webhooks', (h) => {
  const receiver = new Receiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  it('posts the tag changes made after it was created, in order and signed, and each only once', async () => {
    const ctx = h.context('导购-小李');
    await defineTag(ctx, interests);
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    const webhook = await createWebhook(ctx, { url: `${receiver.url}/hooks/tags`, secret: 'a-secret-of-sixteen+' });
    expect(webhook).toMatchObject({ url: `${receiver.url}/hooks/tags`, tags: [], failures: 0, actor: '导购-小李', secret: 'a-secret-of-sixteen+' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['A', 'B'], source: 'manual' });
    await removeTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    const before = receiver.posts.length;
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    const mine = receiver.posts.slice(before).filter((post) => post.body.webhook === webhook.id);
    expect(mine).toHaveLength(1);
    const [post] = mine;
    expect(post?.path).toBe('/hooks/tags');
    expect(post?.webhook).toBe(String(webhook.id));
    expect(post?.signature).toBe(webhookSignature('a-secret-of-sixteen+', post?.text ?? ''));
    // The time of sending, in seconds, signed with the body as docs/api.md says a receiver checks it.
    const sentAt = Number(post?.timestamp);
    expect(Math.abs(sentAt - Date.now() / 1000)).toBeLessThan(600);
    expect(post?.timedSignature).toBe(`sha256=${createHmac('sha256', 'a-secret-of-sixteen+').update(`${post?.timestamp}.${post?.text}`).digest('hex')}`);
    expect(post?.body.workspace).toBe(ctx.workspaceKey);
    expect(post?.body.changes.map((change) => [change.customer_id, change.action, change.tag, change.value, change.actor])).toEqual([
      ['A', 'add', 'interests', 'yoga', '导购-小李'],
      ['B', 'add', 'interests', 'yoga', '导购-小李'],
      ['A', 'remove', 'interests', 'golf', '导购-小李'],
    ]);
    const ids = post?.body.changes.map((change) => change.id) ?? [];
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // Delivered: the next round has nothing to post for it.
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    expect(receiver.posts.filter((each) => each.body.webhook === webhook.id)).toHaveLength(1);
    expect((await listWebhooks(ctx))[0]).toMatchObject({ failures: 0, last_error: null, last_delivered_at: expect.any(String) });
  });

  it('posts to a receiver that answers at once while another has not answered yet, rather than after it', async () => {
    const ctx = await addInterestsAndCustomerA(h.context('导购-小李'));
    const slow = await heldReceiver();
    try {
      // Made first, so that a round posting one receiver after the other would wait for it first.
      const waiting = await createWebhook(ctx, { url: slow.url });
      const quick = await createWebhook(ctx, { url: `${receiver.url}/hooks/quick` });
      await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
      const round = deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
      await expect.poll(() => receiver.posts.some((post) => post.body.webhook === quick.id)).toBe(true);
      // The quick receiver had its post while the other still held its own (or before that one
      // even reached its receiver, on a busy machine), not after it answered or timed out.
      expect(slow.answered()).toBe(false);
      slow.release();
      await round;
      expect((await listWebhooks(ctx)).map((webhook) => [webhook.id, webhook.failures, webhook.last_delivered_at === null])).toEqual([
        [waiting.id, 0, false],
        [quick.id, 0, false],
      ]);
    } finally {
      await slow.close();
    }
  });

  it('goes on posting to the other receivers, round after round, while one has not answered yet', async () => {
    const ctx = await addInterestsAndCustomerA(h.context());
    const slow = await heldReceiver();
    const delivery = startWebhookDelivery(ctx.store, { intervalMs: 20, now: () => h.clock.now().getTime() });
    try {
      const waiting = await createWebhook(ctx, { url: slow.url });
      const quick = await createWebhook(ctx, { url: `${receiver.url}/hooks/rounds` });
      const quickValues = () => receiver.posts.filter((post) => post.body.webhook === quick.id).flatMap((post) => post.body.changes.map((change) => change.value));
      await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
      await expect.poll(() => slow.received() && quickValues().length === 1).toBe(true);
      // Made while the slow receiver still holds its post: the next round posts it to the quick one.
      await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['A'], source: 'manual' });
      await expect.poll(quickValues).toEqual(['golf', 'yoga']);
      // The held post is not posted again meanwhile.
      expect(slow.bodies).toHaveLength(1);
      expect(slow.answered()).toBe(false);
      slow.release();
      await expect.poll(async () => (await listWebhooks(ctx)).find((each) => each.id === waiting.id)?.last_delivered_at).not.toBeNull();
      await expect.poll(() => slow.bodies.length).toBe(2);
      expect(slow.bodies.map((body) => (JSON.parse(body) as { changes: TagChangeJson[] }).changes.map((change) => change.value))).toEqual([['golf'], ['yoga']]);
    } finally {
      await delivery.stop();
      await slow.close();
    }
  });

  it('keeps no log of a post whose webhook was deleted while its receiver had it', async () => {
    const ctx = await addInterestsAndCustomerA(h.context());
    const slow = await heldReceiver();
    try {
      const webhook = await createWebhook(ctx, { url: slow.url });
      await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
      const round = deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
      await expect.poll(() => slow.received()).toBe(true);
      await deleteWebhook(ctx, webhook.id);
      slow.release();
      await round;
      const logged = await ctx.store.db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', webhook.id).execute();
      expect(logged).toEqual([]);
      expect(await listWebhooks(ctx)).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it('ends a round quietly whose webhook went with its workspace, deleted while its receiver had the post', async () => {
    const ctx = await addInterestsAndCustomerA(h.context());
    const slow = await heldReceiver();
    try {
      await createWebhook(ctx, { url: slow.url });
      await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
      const errors: unknown[] = [];
      const round = deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime(), onError: (error) => errors.push(error) });
      await expect.poll(() => slow.received()).toBe(true);
      await deleteWorkspace(ctx.store, ctx.workspaceKey, h.clock.now, { actor: 'admin', source: 'cli' });
      slow.release();
      await expect(round).resolves.toMatchObject({ failed: 0 });
      expect(errors).toEqual([]);
      expect(await ctx.store.db.selectFrom('webhook_deliveries').select('id').where('workspace_id', '=', ctx.workspaceId).execute()).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it('ends its look at the watched segments quietly for a workspace deleted while their members were counted', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await createSegment(ctx, { key: 'everyone', name: '全部客户', expression: 'first_seen_at exists' });
    await createWebhook(ctx, { url: `${receiver.url}/segments`, topics: ['segment_changes'] });
    const counted = indexAudience(new IndexRegistry(ctx.store));
    const audience: Audience = {
      ...counted,
      async membershipChanges(context, bound, scope, before) {
        const changes = await counted.membershipChanges(context, bound, scope, before);
        if (context.workspaceId === ctx.workspaceId) await deleteWorkspace(ctx.store, ctx.workspaceKey, h.clock.now, { actor: 'admin', source: 'cli' });
        return changes;
      },
    };
    const errors: unknown[] = [];
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime(), audience, onError: (error) => errors.push(error) });
    expect(errors).toEqual([]);
    expect(await ctx.store.db.selectFrom('segment_members_seen').select('segment_id').where('workspace_id', '=', ctx.workspaceId).execute()).toEqual([]);
  });

  it('posts a batch once when two servers run their rounds side by side, the second leaving to the first what it posts', async () => {
    const ctx = await addInterestsAndCustomerA(h.context());
    const slow = await heldReceiver();
    try {
      const webhook = await createWebhook(ctx, { url: slow.url });
      await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
      const first = deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
      await expect.poll(() => slow.bodies.length).toBe(1);
      // The other server's round, while the receiver still has the first one's post.
      const second = await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
      slow.release();
      expect(await first).toEqual({ delivered: 1, failed: 0 });
      expect(second).toEqual({ delivered: 0, failed: 0 });
      expect(slow.bodies).toHaveLength(1);
      // The claim ends with the post: the webhook is due again, not failing.
      expect((await listWebhooks(ctx)).find((each) => each.id === webhook.id)).toMatchObject({ failures: 0, next_attempt_at: null });
      await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['A'], source: 'manual' });
      expect(await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() })).toEqual({ delivered: 1, failed: 0 });
      expect(slow.bodies).toHaveLength(2);
    } finally {
      await slow.close();
    }
  });

  it('posts a batch once when it is retried, or paused and resumed, while a server still has it at the receiver', async () => {
    const ctx = await addInterestsAndCustomerA(h.context());
    const slow = await heldReceiver();
    try {
      const webhook = await createWebhook(ctx, { url: slow.url });
      // Failing before: the receiver was down a while.
      await ctx.store.db.updateTable('webhooks').set({ failures: 2, last_error: 'HTTP 503' }).where('id', '=', webhook.id).execute();
      await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
      const now = () => h.clock.now().getTime();
      const first = deliverWebhooks(ctx.store, { now });
      await expect.poll(() => slow.bodies.length).toBe(1);
      // Asked to try again, then paused and resumed, while the post is at the receiver: another
      // server's round leaves it to the post under way.
      await retryWebhook(ctx, webhook.id);
      expect(await deliverWebhooks(ctx.store, { now })).toEqual({ delivered: 0, failed: 0 });
      await pauseWebhook(ctx, webhook.id);
      await resumeWebhook(ctx, webhook.id);
      expect(await deliverWebhooks(ctx.store, { now })).toEqual({ delivered: 0, failed: 0 });
      expect(slow.bodies).toHaveLength(1);
      slow.release();
      expect(await first).toEqual({ delivered: 1, failed: 0 });
      expect((await listWebhooks(ctx)).find((each) => each.id === webhook.id)).toMatchObject({ failures: 0, next_attempt_at: null, paused_at: null });
      // Due again once the post is answered.
      await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['A'], source: 'manual' });
      expect(await deliverWebhooks(ctx.store, { now })).toEqual({ delivered: 1, failed: 0 });
    } finally {
      await slow.close();
    }
  });

  it('reaches a change of the tag it asks for in one round, behind more than a batch of changes of other tags', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    const customers = Array.from({ length: WEBHOOK_BATCH + 100 }, (_, n) => `C${n}`);
    await upsertCustomers(ctx, customers.map((id) => ({ id })));
    const webhook = await createWebhook(ctx, { url: `${receiver.url}/hooks/stage`, tags: ['stage'] });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers, source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'after', customers: ['C7'], source: 'manual' });
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    const posted = receiver.posts.filter((post) => post.body.webhook === webhook.id).flatMap((post) => post.body.changes.map((change) => [change.customer_id, change.tag, change.value]));
    expect(posted).toEqual([['C7', 'stage', 'after']]);
  });

  it('posts only the tags it asked for, never personal ones', async () => {
    const ctx = h.context('导购-小李');
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    await defineTag(ctx, { key: 'mine', name: '我的标签', scope: 'personal', values: [{ key: 'x', name: 'X' }] });
    await upsertCustomers(ctx, [{ id: 'A' }]);
    const onlyStage = await createWebhook(ctx, { url: receiver.url, tags: ['stage'] });
    const every = await createWebhook(ctx, { url: receiver.url });
    expect(onlyStage.secret).toMatch(/^[0-9a-f]{64}$/);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'mine', value: 'x', customers: ['A'], source: 'manual' });
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    const tagsOf = (id: number) => receiver.posts.filter((post) => post.body.webhook === id).flatMap((post) => post.body.changes.map((change) => change.tag));
    expect(tagsOf(onlyStage.id)).toEqual(['stage']);
    expect(tagsOf(every.id)).toEqual(['interests', 'stage']);
    expect((await rejected(createWebhook(ctx, { url: receiver.url, tags: ['mine'] }))).code).toBe('TAG_NOT_FOUND');
    const ftp = await rejected(createWebhook(ctx, { url: 'ftp://example.com/hook' }));
    expect(ftp.code).toBe('VALIDATION_FAILED');
    // The scheme as written, without the colon a URL's protocol ends in.
    expect(ftp.items?.[0]?.message).toBe('a webhook posts to an http or https URL; got ftp');
    expect(ftp.items?.[0]?.localized?.['zh-CN']).toBe('Webhook 只能发送到 http 或 https 地址；收到的是 ftp');
    // A port fetch refuses would fail every post: refused up front, saying why.
    const badPort = await rejected(createWebhook(ctx, { url: 'http://127.0.0.1:6000/hook' }));
    expect([badPort.code, badPort.message]).toEqual(['VALIDATION_FAILED', expect.stringContaining('port 6000 is one HTTP clients refuse to post to')]);
    expect((await rejected(updateWebhook(ctx, every.id, { url: 'http://127.0.0.1:25/hook' }))).code).toBe('VALIDATION_FAILED');
  });

  it('goes on posting a tag it names after the tag is given a new key', async () => {
    const ctx = h.context('导购-小李');
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    await upsertCustomers(ctx, [{ id: 'A' }]);
    const onlyStage = await createWebhook(ctx, { url: receiver.url, tags: ['stage', 'interests'] });
    await updateTag(ctx, 'stage', { key: 'service_stage' });
    expect((await listWebhooks(ctx)).find((webhook) => webhook.id === onlyStage.id)?.tags).toEqual(['service_stage', 'interests']);
    await assignTag(ctx, { tag: 'service_stage', value: 'pre', customers: ['A'], source: 'manual' });
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    const posted = receiver.posts.filter((post) => post.body.webhook === onlyStage.id).flatMap((post) => post.body.changes.map((change) => [change.tag, change.value]));
    expect(posted).toEqual([['service_stage', 'pre']]);
  });

  it('keeps what a failing receiver did not take and posts it again, later and later, until it does', async () => {
    const ctx = await addInterestsAndCustomerA(h.context());
    const webhook = await createWebhook(ctx, { url: receiver.url });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    const posts = () => receiver.posts.filter((post) => post.body.webhook === webhook.id);
    let now = h.clock.now().getTime();
    receiver.answers.push(500, 503);
    await deliverWebhooks(ctx.store, { now: () => now });
    expect((await listWebhooks(ctx))[0]).toMatchObject({ failures: 1, last_error: 'HTTP 500', next_attempt_at: new Date(now + 5_000).toISOString() });
    // Not due yet: nothing is posted.
    await deliverWebhooks(ctx.store, { now: () => now + 1_000 });
    expect(posts()).toHaveLength(1);
    now += 5_000;
    await deliverWebhooks(ctx.store, { now: () => now });
    expect((await listWebhooks(ctx))[0]).toMatchObject({ failures: 2, last_error: 'HTTP 503', next_attempt_at: new Date(now + 10_000).toISOString() });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['A'], source: 'manual' });
    now += 10_000;
    await deliverWebhooks(ctx.store, { now: () => now });
    expect(posts().map((post) => post.body.changes.map((change) => change.value))).toEqual([['golf'], ['golf'], ['golf', 'yoga']]);
    expect((await listWebhooks(ctx))[0]).toMatchObject({ failures: 0, last_error: null, next_attempt_at: null });
  });

  it('posts nothing while paused, keeps what happens meanwhile, and posts it in order once resumed', async () => {
    const ctx = await addInterestsAndCustomerA(h.context('运营-王芳'));
    const webhook = await createWebhook(ctx, { url: receiver.url });
    const posts = () => receiver.posts.filter((post) => post.body.webhook === webhook.id);
    const now = h.clock.now().getTime();
    const paused = await pauseWebhook(ctx, webhook.id);
    expect(paused).toMatchObject({ paused_at: new Date(now).toISOString(), paused_by: '运营-王芳', next_attempt_at: null });
    // Pausing again keeps who paused it first, and when.
    expect(await pauseWebhook(h.context('someone-else'), webhook.id)).toMatchObject({ paused_by: '运营-王芳' });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['A'], source: 'manual' });
    await deliverWebhooks(ctx.store, { now: () => now + 60_000 });
    expect(posts()).toHaveLength(0);
    expect((await rejected(retryWebhook(ctx, webhook.id))).code).toBe('WEBHOOK_PAUSED');
    expect(await resumeWebhook(ctx, webhook.id)).toMatchObject({ paused_at: null, paused_by: null });
    await deliverWebhooks(ctx.store, { now: () => now + 60_000 });
    expect(posts().map((post) => post.body.changes.map((change) => change.value))).toEqual([['golf', 'yoga']]);
    // Resuming a webhook that posts changes nothing.
    expect(await resumeWebhook(ctx, webhook.id)).toMatchObject({ paused_at: null, failures: 0 });
    for (const change of [pauseWebhook, resumeWebhook, retryWebhook]) expect((await rejected(change(ctx, 999_999))).code).toBe('WEBHOOK_NOT_FOUND');
  });

  it('tries a failing webhook again at once when asked, instead of when its pause runs out', async () => {
    const ctx = await addInterestsAndCustomerA(h.context());
    const webhook = await createWebhook(ctx, { url: receiver.url });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    const posts = () => receiver.posts.filter((post) => post.body.webhook === webhook.id);
    let now = h.clock.now().getTime();
    receiver.answers.push(500);
    await deliverWebhooks(ctx.store, { now: () => now });
    now += 1_000;
    // Still paused after the failure: a round now posts nothing.
    await deliverWebhooks(ctx.store, { now: () => now });
    expect(posts()).toHaveLength(1);
    const retried = await retryWebhook({ ...ctx, now: () => new Date(now) }, webhook.id);
    // The failures stay counted until a post gets through.
    expect(retried).toMatchObject({ failures: 1, last_error: 'HTTP 500', next_attempt_at: new Date(now).toISOString() });
    await deliverWebhooks(ctx.store, { now: () => now });
    expect(posts().map((post) => post.body.changes.map((change) => change.value))).toEqual([['golf'], ['golf']]);
    expect((await listWebhooks(ctx)).find((each) => each.id === webhook.id)).toMatchObject({ failures: 0, last_error: null });
  });

  it('posts to a URL changed while the old one still had a post at once, not after the pause the old one\'s failure would set', async () => {
    const ctx = await addInterestsAndCustomerA(h.context());
    const broken = await heldReceiver(500);
    try {
      const webhook = await createWebhook(ctx, { url: broken.url });
      await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
      const now = h.clock.now().getTime();
      const round = deliverWebhooks(ctx.store, { now: () => now });
      await expect.poll(() => broken.received()).toBe(true);
      // Fixed while the old receiver still holds the post: its failure, answered after, is the old URL's.
      await updateWebhook(ctx, webhook.id, { url: `${receiver.url}/hooks/fixed` });
      broken.release();
      await round;
      expect((await listWebhooks(ctx)).find((each) => each.id === webhook.id)).toMatchObject({ failures: 0, last_error: null, next_attempt_at: null });
      // The failed post is in the log all the same.
      expect((await listWebhookDeliveries(ctx, webhook.id)).map((delivery) => delivery.error)).toEqual(['HTTP 500']);
      await deliverWebhooks(ctx.store, { now: () => now });
      expect(receiver.posts.filter((post) => post.body.webhook === webhook.id).map((post) => [post.path, post.body.changes.map((change) => change.value)])).toEqual([['/hooks/fixed', ['golf']]]);
    } finally {
      await broken.close();
    }
  });

  it('waits longer after each failure in a row even when another topic had nothing to post for it meanwhile', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }]);
    await createCarePlan(ctx, { key: 'golf', name: '高尔夫跟进', trigger: { kind: 'tag_added', tag: 'interests' }, steps: [{ after: '0', message: '{name}有了新爱好' }] });
    // Tag changes of 服务阶段 only, and care reminders: the receiver refuses the reminders.
    const webhook = await createWebhook(ctx, { url: receiver.url, topics: ['tag_changes', 'care_reminders'], tags: ['stage'] });
    const state = async () => (await listWebhooks(ctx)).find((each) => each.id === webhook.id);
    let now = h.clock.now().getTime();
    for (const [round, value] of ['golf', 'yoga', 'fishing'].entries()) {
      // A change of a tag the webhook does not post, and the reminder it brings.
      await assignTag(ctx, { tag: 'interests', value, customers: ['A'], source: 'manual' });
      await runCare(ctx);
      receiver.answers.push(500);
      await deliverWebhooks(ctx.store, { now: () => now });
      const pause = 5_000 * 2 ** round;
      expect(await state()).toMatchObject({ failures: round + 1, last_error: 'HTTP 500', next_attempt_at: new Date(now + pause).toISOString() });
      now += pause;
    }
    await deliverWebhooks(ctx.store, { now: () => now });
    expect(await state()).toMatchObject({ failures: 0, last_error: null });
    const reminders = receiver.posts.filter((post) => post.body.webhook === webhook.id).map((post) => post.body.reminders?.length);
    expect(reminders).toEqual([1, 2, 3, 3]);
  });

  it('posts care reminders as they fall due to the webhooks that asked for them, and only to those', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }, { id: 'B', name: '李娜' }]);
    await createCarePlan(ctx, { key: 'golf', name: '高尔夫跟进', trigger: { kind: 'tag_added', tag: 'interests', value: 'golf' }, steps: [{ after: '0', message: '{name}喜欢高尔夫' }, { after: '1d', message: '回访 {name}' }] });
    const care = await createWebhook(ctx, { url: `${receiver.url}/care`, topics: ['care_reminders'], secret: 'a-secret-of-sixteen+' });
    const both = await createWebhook(ctx, { url: receiver.url, topics: ['care_reminders', 'tag_changes'] });
    const changesOnly = await createWebhook(ctx, { url: receiver.url });
    expect([care.topics, both.topics, changesOnly.topics]).toEqual([['care_reminders'], ['tag_changes', 'care_reminders'], ['tag_changes']]);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual' });
    await runCare(ctx);
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    const postsTo = (id: number) => receiver.posts.filter((post) => post.body.webhook === id);
    const [carePost] = postsTo(care.id);
    expect(postsTo(care.id)).toHaveLength(1);
    expect(carePost?.topic).toBe('care_reminders');
    expect(carePost?.signature).toBe(webhookSignature('a-secret-of-sixteen+', carePost?.text ?? ''));
    expect(carePost?.body.reminders?.map((reminder) => [reminder.customer.id, reminder.step, reminder.message])).toEqual([
      ['A', 1, '张伟喜欢高尔夫'],
      ['B', 1, '李娜喜欢高尔夫'],
    ]);
    expect(postsTo(both.id).map((post) => post.topic).sort()).toEqual(['care_reminders', 'tag_changes']);
    expect(postsTo(changesOnly.id).map((post) => post.topic)).toEqual(['tag_changes']);
    // The next step is posted when it falls due, not before, and nothing twice.
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    expect(postsTo(care.id)).toHaveLength(1);
    h.clock.advance(86_400_000);
    await runCare(ctx);
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    expect(postsTo(care.id).map((post) => post.body.reminders?.map((reminder) => reminder.message))).toEqual([['张伟喜欢高尔夫', '李娜喜欢高尔夫'], ['回访 张伟', '回访 李娜']]);
    expect((await rejected(createWebhook(ctx, { url: receiver.url, topics: [] }))).code).toBe('VALIDATION_FAILED');
  });

  it('keeps a reminder brought due in its log only until every webhook that wants reminders has it, and not at all when none does', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }, { id: 'B', name: '李娜' }]);
    await createCarePlan(ctx, { key: 'golf', name: '高尔夫跟进', trigger: { kind: 'tag_added', tag: 'interests', value: 'golf' }, steps: [{ after: '0', message: '{name}喜欢高尔夫' }, { after: '1d', message: '回访 {name}' }] });
    const logged = async () => Number((await ctx.store.db.selectFrom('care_due_log').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', ctx.workspaceId).executeTakeFirstOrThrow()).n);
    const deliver = () => deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    // A webhook of tag changes only: nobody wants the reminders, so none is kept.
    await createWebhook(ctx, { url: receiver.url });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    expect(await runCare(ctx)).toMatchObject({ due: 1 });
    expect(await logged()).toBe(0);
    const care = await createWebhook(ctx, { url: `${receiver.url}/care`, topics: ['care_reminders'] });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['B'], source: 'manual' });
    expect(await runCare(ctx)).toMatchObject({ due: 1 });
    expect(await logged()).toBe(1);
    await deliver();
    expect(await logged()).toBe(1);
    await runCare(ctx);
    expect(await logged()).toBe(0);
    h.clock.advance(86_400_000);
    expect(await runCare(ctx)).toMatchObject({ due: 2 });
    expect(await logged()).toBe(2);
    await deliver();
    await runCare(ctx);
    expect(await logged()).toBe(0);
    const posted = receiver.posts.filter((post) => post.body.webhook === care.id).map((post) => post.body.reminders?.map((reminder) => reminder.message));
    expect(posted).toEqual([['李娜喜欢高尔夫'], ['回访 张伟', '回访 李娜']]);
  });

  it('posts a care reminder put off when it falls due again, not while it waits, and once a batch', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }, { id: 'B', name: '李娜' }]);
    await createCarePlan(ctx, { key: 'golf', name: '高尔夫跟进', trigger: { kind: 'tag_added', tag: 'interests', value: 'golf' }, steps: [{ after: '0', message: '{name}喜欢高尔夫' }] });
    const care = await createWebhook(ctx, { url: `${receiver.url}/care`, topics: ['care_reminders'] });
    const deliver = () => deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    const posted = () => receiver.posts.filter((post) => post.body.webhook === care.id).map((post) => post.body.reminders?.map((reminder) => [reminder.customer.id, reminder.status, reminder.message]));
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual' });
    expect(await runCare(ctx)).toMatchObject({ due: 2 });
    // Both put off before the sender got them: neither goes out as it waits, without its message.
    const [first, second] = (await listReminders(ctx, {})).items;
    await snoozeReminder(ctx, first?.id ?? 0, '1h');
    await snoozeReminder(ctx, second?.id ?? 0, '2h');
    await deliver();
    expect(posted()).toEqual([]);
    // The first falls due again, is put off once more and falls due again before the sender gets it: one post of it.
    h.clock.advance(60 * 60_000);
    expect(await runCare(ctx)).toMatchObject({ due: 1 });
    await snoozeReminder(ctx, first?.id ?? 0, '1h');
    h.clock.advance(60 * 60_000);
    expect(await runCare(ctx)).toMatchObject({ due: 2 });
    await deliver();
    expect(posted()).toEqual([[['A', 'due', '张伟喜欢高尔夫'], ['B', 'due', '李娜喜欢高尔夫']]]);
  });

  it('posts who entered and who left the saved segments it watches, from the first look on', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }, { id: 'C' }]);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await createSegment(ctx, { key: 'golfers', name: '高尔夫客户', expression: 'interests has any ("golf")' });
    await createSegment(ctx, { key: 'yogis', name: '瑜伽客户', expression: 'interests has any ("yoga")' });
    const audience = indexAudience(new IndexRegistry(ctx.store));
    const deliver = () => deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime(), audience });
    const golf = await createWebhook(ctx, { url: `${receiver.url}/segments`, topics: ['segment_changes'], segments: ['高尔夫客户'], secret: 'a-secret-of-sixteen+' });
    const every = await createWebhook(ctx, { url: receiver.url, topics: ['segment_changes'] });
    expect([golf.segments, every.segments]).toEqual([['golfers'], []]);
    const postsTo = (id: number) => receiver.posts.filter((post) => post.body.webhook === id);
    const changesTo = (id: number) => postsTo(id).flatMap((post) => post.body.changes.map((change) => [change.segment, change.customer_id, change.change]));
    // The first look finds where everyone stands: A was a golfer before, which is no change.
    await deliver();
    expect(postsTo(golf.id)).toEqual([]);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['B'], source: 'manual' });
    await removeTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['C'], source: 'manual' });
    await deliver();
    const [post] = postsTo(golf.id);
    expect(post?.topic).toBe('segment_changes');
    expect(post?.path).toBe('/segments');
    expect(post?.signature).toBe(webhookSignature('a-secret-of-sixteen+', post?.text ?? ''));
    expect(post?.body.changes[0]).toMatchObject({ id: expect.any(Number), at: h.clock.now().toISOString() });
    expect(changesTo(golf.id)).toEqual([
      ['golfers', 'A', 'left'],
      ['golfers', 'B', 'entered'],
    ]);
    expect(changesTo(every.id)).toEqual([
      ['golfers', 'A', 'left'],
      ['golfers', 'B', 'entered'],
      ['yogis', 'C', 'entered'],
    ]);
    // Nothing new, nothing posted, and what both have delivered is dropped from the log; an
    // edited expression is a change of membership like any other.
    const logged = async () => (await ctx.store.db.selectFrom('segment_changes_log').select('id').where('workspace_id', '=', ctx.workspaceId).execute()).length;
    expect(await logged()).toBe(3);
    await deliver();
    expect(postsTo(every.id)).toHaveLength(1);
    expect(await logged()).toBe(0);
    await updateSegment(ctx, 'yogis', { expression: 'interests has any ("yoga", "golf")' });
    await deliver();
    expect(changesTo(every.id).slice(3)).toEqual([['yogis', 'B', 'entered']]);
    // A watched segment cannot be deleted under its webhook; an erased customer is not posted.
    expect((await rejected(deleteSegment(ctx, 'golfers'))).code).toBe('SEGMENT_IN_USE');
    await eraseCustomer(ctx, 'B');
    await deliver();
    expect(changesTo(every.id).slice(4)).toEqual([]);
    expect((await rejected(createWebhook(ctx, { url: receiver.url, topics: ['segment_changes'], segments: ['nobody'] }))).code).toBe('SEGMENT_NOT_FOUND');
    // Delivered entries are dropped from the log; with no watcher left, the members seen go too.
    await deleteWebhook(ctx, golf.id);
    await deleteWebhook(ctx, every.id);
    await deliver();
    const left = async (table: 'segment_changes_log' | 'segment_members_seen') => (await ctx.store.db.selectFrom(table).select('workspace_id').where('workspace_id', '=', ctx.workspaceId).execute()).length;
    expect([await left('segment_changes_log'), await left('segment_members_seen')]).toEqual([0, 0]);
    await deleteSegment(ctx, 'golfers');
  });

  it('posts a customer who enters a segment right after the webhook watching it is made or changed to watch it, and nothing from before', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1', city: '上海' }, { id: 'C2', city: '北京' }]);
    await createSegment(ctx, { key: 'sh', name: '上海客户', expression: 'city = "上海"' });
    await createSegment(ctx, { key: 'bj', name: '北京客户', expression: 'city = "北京"' });
    const audience = indexAudience(new IndexRegistry(ctx.store));
    const deliver = () => deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime(), audience });
    const changesTo = (id: number) => receiver.posts.filter((post) => post.body.webhook === id).flatMap((post) => post.body.changes.map((change) => [change.segment, change.customer_id, change.change]));
    // Made, then a customer enters at once, before any delivery round: the first look was taken as it was made.
    const first = await createWebhook(ctx, { url: receiver.url, topics: ['segment_changes'], segments: ['sh'] }, audience);
    await upsertCustomers(ctx, [{ id: 'C4', city: '上海' }]);
    // A second webhook on a segment already watched: C5 entered before it was made, C6 after.
    await upsertCustomers(ctx, [{ id: 'C5', city: '上海' }]);
    const second = await createWebhook(ctx, { url: receiver.url, topics: ['segment_changes'], segments: ['sh'] }, audience);
    await upsertCustomers(ctx, [{ id: 'C6', city: '上海' }]);
    // A webhook of tag changes given the topic, and a segment-changes webhook given another segment.
    const later = await createWebhook(ctx, { url: receiver.url }, audience);
    await updateWebhook(ctx, later.id, { topics: ['tag_changes', 'segment_changes'], segments: ['bj'] }, audience);
    await updateWebhook(ctx, second.id, { segments: ['sh', 'bj'] }, audience);
    await upsertCustomers(ctx, [{ id: 'C7', city: '北京' }]);
    await deliver();
    expect(changesTo(first.id)).toEqual([
      ['sh', 'C4', 'entered'],
      ['sh', 'C5', 'entered'],
      ['sh', 'C6', 'entered'],
    ]);
    expect(changesTo(second.id)).toEqual([
      ['sh', 'C6', 'entered'],
      ['bj', 'C7', 'entered'],
    ]);
    expect(changesTo(later.id)).toEqual([['bj', 'C7', 'entered']]);
  });

  it('logs a change of a segment once when two servers look at the same time, and never from a view older than the last look', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await createSegment(ctx, { key: 'golfers', name: '高尔夫客户', expression: 'interests has any ("golf")' });
    await createWebhook(ctx, { url: receiver.url, topics: ['segment_changes'] });
    const first = indexAudience(new IndexRegistry(ctx.store));
    // The second server's look stops after it has found who matches, until let go.
    let release = () => {};
    let found = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const looked = new Promise<void>((resolve) => (found = resolve));
    const secondIndex = indexAudience(new IndexRegistry(ctx.store));
    const second: Audience = {
      ...secondIndex,
      membershipChanges: async (...args) => {
        const changes = await secondIndex.membershipChanges(...args);
        found();
        await held;
        return changes;
      },
    };
    expect(await watchSegments(ctx, first)).toEqual({ logged: 0, started: 1, broken: [] });
    await removeTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    const slow = watchSegments(ctx, second);
    await looked;
    expect(await watchSegments(ctx, first)).toEqual({ logged: 1, started: 0, broken: [] });
    release();
    expect(await slow).toEqual({ logged: 0, started: 0, broken: [] });
    // A look that read the change log less far than the last one is dropped too.
    const stale = indexAudience({ get: (context) => new IndexRegistry(ctx.store).get(context) });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['B'], source: 'manual' });
    expect(await watchSegments(ctx, stale)).toEqual({ logged: 0, started: 0, broken: [] });
    expect(await watchSegments(ctx, first)).toEqual({ logged: 1, started: 0, broken: [] });
    const log = await ctx.store.db.selectFrom('segment_changes_log').select(['customer_id', 'entered']).where('workspace_id', '=', ctx.workspaceId).orderBy('id').execute();
    expect(log.map((row) => Number(row.entered))).toEqual([0, 1]);
  });

  it('passes over a watched segment whose expression no longer compiles, and goes on with the others', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await createSegment(ctx, { key: 'golfers', name: '高尔夫客户', expression: 'interests has any ("golf")' });
    await createSegment(ctx, { key: 'pre_sale', name: '售前客户', expression: 'stage = "pre"' });
    // One that reads it: with it broken, it would seem to lose everyone, and is passed over too.
    await createSegment(ctx, { key: 'golf_sale', name: '高尔夫售前', expression: 'segment("golfers") or stage = "pre"' });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await createWebhook(ctx, { url: receiver.url, topics: ['segment_changes'] });
    const audience = indexAudience(new IndexRegistry(ctx.store));
    expect(await watchSegments(ctx, audience)).toEqual({ logged: 0, started: 3, broken: [] });
    await updateTag(ctx, 'interests', { status: 'archived' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    expect(await watchSegments(ctx, audience)).toEqual({ logged: 1, started: 0, broken: ['golfers', 'golf_sale'] });
  });

  it('posts a signed test on request and says how the receiver answered, leaving the deliveries as they were', async () => {
    const ctx = await addInterestsAndCustomerA(h.context());
    const webhook = await createWebhook(ctx, { url: `${receiver.url}/test`, secret: 'a-secret-of-sixteen+' });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    const before = receiver.posts.length;
    expect(await testWebhook(ctx, webhook.id)).toEqual({ delivered: true, status: 200, error: null, took_ms: expect.any(Number) });
    const [post] = receiver.posts.slice(before);
    expect(post?.topic).toBe('test');
    expect(post?.signature).toBe(webhookSignature('a-secret-of-sixteen+', post?.text ?? ''));
    expect(post?.body).toEqual({ webhook: webhook.id, workspace: ctx.workspaceKey, test: true, sent_at: h.clock.now().toISOString() });
    receiver.answers.push(500);
    expect(await testWebhook(ctx, webhook.id)).toMatchObject({ delivered: false, status: 500, error: 'HTTP 500' });
    // The failed test neither paused the webhook nor counted against it; the change still goes.
    expect((await listWebhooks(ctx))[0]).toMatchObject({ failures: 0, last_error: null, last_delivered_at: null });
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    expect(receiver.posts.filter((each) => each.body.webhook === webhook.id && each.topic === 'tag_changes').map((each) => each.body.changes.map((change) => change.value))).toEqual([['golf']]);
    const gone = new Receiver();
    await gone.start();
    await gone.stop();
    const unreachable = await createWebhook(ctx, { url: gone.url });
    expect(await testWebhook(ctx, unreachable.id)).toMatchObject({ delivered: false, status: null, error: 'ECONNREFUSED' });
    expect((await rejected(testWebhook(ctx, 999_999))).code).toBe('WEBHOOK_NOT_FOUND');
  });

  it('keeps its last posts with how each was answered, newest first, and a new secret signs the posts from then on', async () => {
    const ctx = await addInterestsAndCustomerA(h.context());
    const webhook = await createWebhook(ctx, { url: `${receiver.url}/log`, secret: 'the-first-secret-16' });
    expect(await listWebhookDeliveries(ctx, webhook.id)).toEqual([]);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    let now = h.clock.now().getTime();
    receiver.answers.push(500);
    await deliverWebhooks(ctx.store, { now: () => now });
    await testWebhook(ctx, webhook.id);
    now += 5_000;
    await deliverWebhooks(ctx.store, { now: () => now });
    const posts = receiver.posts.filter((post) => post.body.webhook === webhook.id);
    const changeId = posts[0]?.body.changes[0]?.id;
    expect(changeId).toEqual(expect.any(Number));
    expect(await listWebhookDeliveries(ctx, webhook.id)).toEqual([
      { id: expect.any(Number), topic: 'tag_changes', items: 1, first_id: changeId, last_id: changeId, delivered: true, status: 200, error: null, took_ms: expect.any(Number), at: new Date(now).toISOString() },
      { id: expect.any(Number), topic: 'test', items: 0, first_id: null, last_id: null, delivered: true, status: 200, error: null, took_ms: expect.any(Number), at: h.clock.now().toISOString() },
      { id: expect.any(Number), topic: 'tag_changes', items: 1, first_id: changeId, last_id: changeId, delivered: false, status: 500, error: 'HTTP 500', took_ms: expect.any(Number), at: h.clock.now().toISOString() },
    ]);

    const rotated = await rotateWebhookSecret(ctx, webhook.id, { secret: 'the-second-secret-16' });
    expect(rotated).toMatchObject({ id: webhook.id, url: `${receiver.url}/log`, secret: 'the-second-secret-16' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['A'], source: 'manual' });
    await deliverWebhooks(ctx.store, { now: () => now });
    const signed = receiver.posts.filter((post) => post.body.webhook === webhook.id).at(-1);
    expect(signed?.body.changes.map((change) => change.value)).toEqual(['yoga']);
    expect(signed?.signature).toBe(webhookSignature('the-second-secret-16', signed?.text ?? ''));
    const made = await rotateWebhookSecret(ctx, webhook.id);
    expect(made.secret).toMatch(/^[0-9a-f]{64}$/);
    expect((await rejected(rotateWebhookSecret(ctx, webhook.id, { secret: 'short' }))).code).toBe('VALIDATION_FAILED');
    expect((await rejected(rotateWebhookSecret(ctx, 999_999))).code).toBe('WEBHOOK_NOT_FOUND');
    expect((await rejected(listWebhookDeliveries(ctx, 999_999))).code).toBe('WEBHOOK_NOT_FOUND');

    // Only the last ones are kept.
    for (let test = 0; test < DELIVERIES_KEPT; test++) await testWebhook(ctx, webhook.id);
    const kept = await listWebhookDeliveries(ctx, webhook.id);
    expect(kept).toHaveLength(DELIVERIES_KEPT);
    expect(kept.every((delivery) => delivery.topic === 'test')).toBe(true);
    expect(kept.map((delivery) => delivery.id)).toEqual([...kept.map((delivery) => delivery.id)].sort((a, b) => b - a));
    await deleteWebhook(ctx, webhook.id);
    const left = await ctx.store.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('webhook_id', '=', webhook.id).executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
  });

  it('changes where and what a webhook posts, keeping what it had not delivered and starting an added topic from now', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }]);
    await createCarePlan(ctx, { key: 'golf', name: '高尔夫跟进', trigger: { kind: 'tag_added', tag: 'interests', value: 'golf' }, steps: [{ after: '0', message: '{name}喜欢高尔夫' }] });
    const gone = new Receiver();
    await gone.start();
    await gone.stop();
    const webhook = await createWebhook(ctx, { url: gone.url, tags: ['interests'] });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    await runCare(ctx);
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    expect((await listWebhooks(ctx))[0]).toMatchObject({ failures: 1, last_error: 'ECONNREFUSED' });
    // Pointed at a receiver that answers, every tag now, and care reminders too.
    const changed = await updateWebhook(ctx, webhook.id, { url: `${receiver.url}/moved`, tags: [], topics: ['tag_changes', 'care_reminders'] });
    expect(changed).toMatchObject({ url: `${receiver.url}/moved`, tags: [], topics: ['tag_changes', 'care_reminders'], failures: 0, last_error: null, next_attempt_at: null });
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    const posts = receiver.posts.filter((post) => post.body.webhook === webhook.id);
    // The changes it could not deliver go to the new URL through the new filter; the reminder
    // that fell due before the topic was added does not.
    expect(posts.map((post) => [post.path, post.topic])).toEqual([['/moved', 'tag_changes']]);
    expect(posts[0]?.body.changes.map((change) => change.tag)).toEqual(['interests', 'stage']);
    expect((await rejected(updateWebhook(ctx, webhook.id, { tags: ['nope'] }))).code).toBe('TAG_NOT_FOUND');
    expect((await rejected(updateWebhook(ctx, webhook.id, { url: 'ftp://example.com/x' }))).code).toBe('VALIDATION_FAILED');
    expect((await rejected(updateWebhook(ctx, webhook.id, { topics: [] }))).code).toBe('VALIDATION_FAILED');
    expect((await rejected(updateWebhook(ctx, 999_999, { tags: [] }))).code).toBe('WEBHOOK_NOT_FOUND');
    expect((await listWebhooks(ctx))[0]).toMatchObject({ url: `${receiver.url}/moved`, topics: ['tag_changes', 'care_reminders'] });
  });

  it('sends a user and password written in the URL as basic authentication, never in the URL', async () => {
    const ctx = await addInterestsAndCustomerA(h.context());
    const withPassword = receiver.url.replace('http://', 'http://crm%40shop:p%C3%A4ss%3Aword@');
    const webhook = await createWebhook(ctx, { url: `${withPassword}/basic` });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    expect(await testWebhook(ctx, webhook.id)).toMatchObject({ delivered: true, status: 200 });
    const posts = receiver.posts.filter((post) => post.body.webhook === webhook.id);
    expect(posts.map((post) => [post.path, post.topic, post.authorization])).toEqual([
      ['/basic', 'tag_changes', `Basic ${Buffer.from('crm@shop:päss:word').toString('base64')}`],
      ['/basic', 'test', `Basic ${Buffer.from('crm@shop:päss:word').toString('base64')}`],
    ]);
    const listed = (await listWebhooks(ctx)).find((each) => each.id === webhook.id);
    expect(listed).toMatchObject({ failures: 0, url: `${receiver.url.replace('http://', 'http://crm%40shop:***@')}/basic` });
    // Sent back as listed with another path, the URL keeps its password; a new one replaces it.
    await updateWebhook(ctx, webhook.id, { url: listed?.url.replace('/basic', '/basic2') });
    expect(await testWebhook(ctx, webhook.id)).toMatchObject({ delivered: true });
    await updateWebhook(ctx, webhook.id, { url: `${receiver.url.replace('http://', 'http://crm%40shop:new@')}/basic3` });
    expect(await testWebhook(ctx, webhook.id)).toMatchObject({ delivered: true });
    expect(receiver.posts.filter((post) => post.body.webhook === webhook.id).slice(2).map((post) => [post.path, post.authorization])).toEqual([
      ['/basic2', `Basic ${Buffer.from('crm@shop:päss:word').toString('base64')}`],
      ['/basic3', `Basic ${Buffer.from('crm@shop:new').toString('base64')}`],
    ]);
  });

  it('says where a receiver that redirects points, rather than only its status, since a post is not sent on', async () => {
    const ctx = await addInterestsAndCustomerA(h.context());
    // An http URL of a receiver that moved to https, or lost a trailing slash: the usual slip.
    const webhook = await createWebhook(ctx, { url: `${receiver.url}/moved` });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    receiver.location = '/moved/';
    receiver.answers.push(301, 308);
    try {
      await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
      expect((await listWebhooks(ctx))[0]).toMatchObject({ failures: 1, last_error: `HTTP 301 → ${receiver.url}/moved/` });
      expect(await testWebhook(ctx, webhook.id)).toMatchObject({ delivered: false, status: 308, error: `HTTP 308 → ${receiver.url}/moved/` });
      expect((await listWebhookDeliveries(ctx, webhook.id)).map((delivery) => delivery.error)).toEqual([`HTTP 308 → ${receiver.url}/moved/`, `HTTP 301 → ${receiver.url}/moved/`]);
    } finally {
      receiver.location = undefined;
    }
  });

  it('posts a merge as the merged record losing every value it held and the survivor gaining those it lacked, so that a copy kept by customer ends as the store', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    // One receiver had the changes before the merge; the other (paused) gets them with it, B's
    // changes under B as they were made, though the merge moved them to A.
    const early = await createWebhook(ctx, { url: `${receiver.url}/merge` });
    const late = await createWebhook(ctx, { url: `${receiver.url}/merge` });
    await pauseWebhook(ctx, late.id);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'fishing', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['B'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'during', customers: ['B'], source: 'manual' });
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    await mergeCustomers(ctx, 'A', 'B');
    await resumeWebhook(ctx, late.id);
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    const changesTo = (id: number) => receiver.posts.filter((post) => post.body.webhook === id).flatMap((post) => post.body.changes);
    // The receiver's copy, kept by customer id as the changes say (a single-valued tag's value replaces).
    const copyOf = (changes: TagChangeJson[]) => {
      const copy = new Map<string, Set<string>>();
      for (const change of changes) {
        const held = copy.get(change.customer_id) ?? new Set<string>();
        copy.set(change.customer_id, held);
        if (change.action === 'replace' || (change.action === 'add' && change.tag === 'stage')) for (const value of [...held]) if (value.startsWith(`${change.tag}:`)) held.delete(value);
        if (change.action === 'remove' || change.action === 'expire') held.delete(`${change.tag}:${change.value}`);
        else held.add(`${change.tag}:${change.value}`);
      }
      return copy;
    };
    const changes = changesTo(late.id);
    expect(changesTo(early.id).filter((change) => change.source !== 'merge')).toEqual(changes.filter((change) => change.source !== 'merge'));
    expect(changesTo(early.id).filter((change) => change.source === 'merge')).toEqual(changes.filter((change) => change.source === 'merge'));
    const copy = copyOf(changes);
    const stored = await ctx.store.db
      .selectFrom('assignments')
      .innerJoin('customers', 'customers.id', 'assignments.customer_id')
      .innerJoin('tags', 'tags.id', 'assignments.tag_id')
      .innerJoin('tag_values', 'tag_values.id', 'assignments.value_id')
      .select(['customers.external_id', 'tags.key as tag', 'tag_values.key as value'])
      .where('assignments.workspace_id', '=', ctx.workspaceId)
      .execute();
    const held = (id: string) => [...(copy.get(id) ?? [])].sort();
    expect(held('A')).toEqual(stored.filter((row) => row.external_id === 'A').map((row) => `${row.tag}:${row.value}`).sort());
    expect(held('A')).toEqual(['interests:fishing', 'interests:golf', 'interests:yoga', 'stage:pre']);
    expect(held('B')).toEqual([]);
    // What the merge wrote: every value of B's gone from B, naming A; what A lacked, A's from B.
    // A copy the merge dropped (of a value A holds) is not posted as A's removal.
    const merged = changes.filter((change) => change.source === 'merge').map((change) => [change.customer_id, change.action, `${change.tag}:${change.value}`, change.merged_from, change.merged_into]);
    expect(merged.sort()).toEqual(
      [
        ['A', 'add', 'interests:yoga', 'B', null],
        ['B', 'remove', 'interests:golf', null, 'A'],
        ['B', 'remove', 'interests:yoga', null, 'A'],
        ['B', 'remove', 'stage:during', null, 'A'],
      ].sort(),
    );
    expect(changes.filter((change) => change.action === 'remove' && change.merged_from !== null)).toEqual([]);
    // The portrait's history reads as before: B's history moved to A, with the copies dropped.
    const history = (await getCustomerHistory(ctx, 'A', { limit: 100 })).items;
    expect(history.filter((entry) => entry.source === 'merge')).toEqual([]);
    expect((await getPortrait(ctx, 'A')).recent_history.map((entry) => entry.source)).not.toContain('merge');
    expect(history.filter((entry) => entry.merged_from === 'B').map((entry) => [entry.action, entry.label]).sort()).toEqual([['remove', '兴趣爱好: 高尔夫'], ['remove', '服务阶段: 售中']]);
  });

  it('posts customers merged away and erased to the webhooks that ask for customer changes, by id alone, keeping an erased id only until delivered', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await upsertCustomers(ctx, [
      { id: 'A', name: '张伟', identities: [{ kind: 'phone', value: '13800138000' }] },
      { id: 'B', name: '张伟', city: '杭州' },
      { id: 'C', name: '李娜' },
    ]);
    const logged = async () => (await ctx.store.db.selectFrom('customer_changes_log').select('id').where('workspace_id', '=', ctx.workspaceId).execute()).length;
    const deliver = () => deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    // Nobody asks yet: an erasure logs nothing, so no id is kept.
    await eraseCustomer(ctx, 'C');
    expect(await logged()).toBe(0);
    const people = await createWebhook(ctx, { url: `${receiver.url}/people`, topics: ['customer_changes'], secret: 'a-secret-of-sixteen+' });
    const tagsOnly = await createWebhook(ctx, { url: receiver.url });
    expect(people.topics).toEqual(['customer_changes']);
    const postsTo = (id: number) => receiver.posts.filter((post) => post.body.webhook === id);
    await mergeCustomers(ctx, 'A', 'B');
    await deliver();
    const [mergePost] = postsTo(people.id);
    expect(mergePost?.topic).toBe('customer_changes');
    expect(mergePost?.signature).toBe(webhookSignature('a-secret-of-sixteen+', mergePost?.text ?? ''));
    expect(mergePost?.body.changes).toEqual([{ id: expect.any(Number), change: 'merged', customer_id: 'B', into: 'A', at: h.clock.now().toISOString() }]);
    expect(await logged()).toBe(0);
    // A receiver that fails gets the erasure later; the ids stay only until then.
    receiver.answers = [500];
    await eraseCustomer(ctx, 'B');
    expect(await logged()).toBe(2);
    await deliver();
    expect(await logged()).toBe(2);
    h.clock.advance(5_000);
    await deliver();
    expect(await logged()).toBe(0);
    const erasures = postsTo(people.id).slice(1);
    expect(erasures).toHaveLength(2);
    expect(erasures[1]?.body).toEqual({ webhook: people.id, workspace: ctx.workspaceKey, changes: [expect.objectContaining({ change: 'erased', customer_id: 'A', into: null }), expect.objectContaining({ change: 'erased', customer_id: 'B', into: null })] });
    // Nothing of the person but their ids: no name, identity or field.
    for (const text of ['张伟', '13800138000', '杭州']) expect(erasures[1]?.text).not.toContain(text);
    expect(postsTo(tagsOnly.id).map((post) => post.topic)).not.toContain('customer_changes');
    // A merge not delivered yet when the person is erased goes from the log: the erasure names both ids.
    await upsertCustomers(ctx, [{ id: 'F', name: '王芳' }, { id: 'G' }]);
    await pauseWebhook(ctx, people.id);
    await mergeCustomers(ctx, 'F', 'G');
    await eraseCustomer(ctx, 'G');
    const kept = await ctx.store.db.selectFrom('customer_changes_log').select(['change', 'customer_id', 'into_id']).where('workspace_id', '=', ctx.workspaceId).orderBy('id').execute();
    expect(kept).toEqual([
      { change: 'erased', customer_id: 'F', into_id: null },
      { change: 'erased', customer_id: 'G', into_id: null },
    ]);
    await resumeWebhook(ctx, people.id);
    await deliver();
    expect(postsTo(people.id).slice(3).map((post) => post.body.changes.map((change) => [change.change, change.customer_id]))).toEqual([[['erased', 'F'], ['erased', 'G']]]);
    // Given the topic later, a webhook starts from then on; with none left, nothing is logged or kept.
    await upsertCustomers(ctx, [{ id: 'D' }, { id: 'E' }]);
    await mergeCustomers(ctx, 'D', 'E');
    await updateWebhook(ctx, tagsOnly.id, { topics: ['tag_changes', 'customer_changes'] });
    await deleteWebhook(ctx, people.id);
    await deliver();
    expect(postsTo(tagsOnly.id).map((post) => post.topic)).not.toContain('customer_changes');
    expect(await logged()).toBe(0);
    await deleteWebhook(ctx, tagsOnly.id);
    await eraseCustomer(ctx, 'D');
    expect(await logged()).toBe(0);
  });

  it('says why a receiver could not be reached, and stops when deleted', async () => {
    const ctx = await addInterestsAndCustomerA(h.context());
    const gone = new Receiver();
    await gone.start();
    await gone.stop();
    const webhook = await createWebhook(ctx, { url: gone.url });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    expect((await listWebhooks(ctx))[0]).toMatchObject({ failures: 1, last_error: 'ECONNREFUSED' });
    await deleteWebhook(ctx, webhook.id);
    expect(await listWebhooks(ctx)).toEqual([]);
    expect((await rejected(deleteWebhook(ctx, webhook.id))).code).toBe('WEBHOOK_NOT_FOUND');
  });
});
