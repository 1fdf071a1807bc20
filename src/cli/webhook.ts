// `tagbase webhook list|add|topics|test|deliveries|rotate-secret|pause|resume|retry|remove`: the
// workspace's webhooks from the terminal — whether their posts are getting through, a new one
// (its secret shown once), what one posts, a test post, pausing one, trying a failing one again, and stopping one. What changes a webhook is recorded in the audit trail, as from the API.
import type { Locale } from '../core/locale.js';
import type { WorkspaceContext } from '../engine/context.js';
import {
  createWebhook,
  deleteWebhook,
  listWebhookDeliveries,
  listWebhooks,
  pauseWebhook,
  resumeWebhook,
  retryWebhook,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
  WEBHOOK_TOPICS,
  type WebhookJson,
  type WebhookTopic,
} from '../engine/webhooks.js';
import { webhookProblemKind } from '../core/webhook-problems.js';
import { TagbaseError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { formatUtcOffset, minuteInZone } from '../core/time.js';
import { workspaceUtcOffset } from '../engine/metrics.js';
import { auditCli } from './audit-entry.js';
import { terminalTable } from './commander-locale.js';
import type { Say } from './messages.js';
import type { SecretShown } from './secret.js';
import { inCommandWorkspace, indexSnapshotsOn } from './store-options.js';

/** The exit code of `tagbase webhook test` when the receiver did not take the post. */
export const WEBHOOK_TEST_FAILED_EXIT_CODE = 5;

export interface WebhookCommandOptions {
  workspace: string;
  database?: string | undefined;
  actor?: string | undefined;
  locale?: Locale | undefined;
  /** `list` and `deliveries`: print what the API answers for the same list as JSON. */
  json?: boolean | undefined;
}

type WebhookChange = 'pause' | 'resume' | 'retry';

function webhookLine(webhook: WebhookJson, say: Say, utcOffsetMinutes: number): string {
  return webhookCells(webhook, say, utcOffsetMinutes).join('  ');
}

/** A webhook's number, URL, what it posts and how its posts go, times to the minute in the workspace's zone. */
function webhookCells(webhook: WebhookJson, say: Say, utcOffsetMinutes: number): string[] {
  const time = (iso: string | null) => (iso === null ? '' : minuteInZone(Date.parse(iso), utcOffsetMinutes));
  const posts = webhook.topics.map((topic) => {
    const only = topic === 'tag_changes' ? webhook.tags : topic === 'segment_changes' ? webhook.segments : [];
    return only.length > 0 ? say('webhook.topicOnly', { topic, keys: only }) : topic;
  });
  const state =
    webhook.paused_at !== null && webhook.paused_reason === 'failing'
      ? say('webhook.autoPausedState', { at: time(webhook.paused_at), error: problemInWords(webhook.last_error ?? '', say), id: webhook.id })
      : webhook.paused_at !== null
      ? say('webhook.pausedState', { at: time(webhook.paused_at), by: webhook.paused_by ?? '' })
      : webhook.failures > 0
      ? say('webhook.failing', { failures: webhook.failures, error: problemInWords(webhook.last_error ?? '', say), next: time(webhook.next_attempt_at) })
      : webhook.last_delivered_at
        ? say('webhook.delivered', { at: time(webhook.last_delivered_at) })
        : say('webhook.notYet');
  return [`#${webhook.id}`, webhook.url, posts.join(' + '), state];
}

/** The recorded problem in words, its code after it (`connection refused … (ECONNREFUSED)`); an HTTP status as it is. */
function problemInWords(problem: string, say: Say): string {
  const kind = webhookProblemKind(problem);
  return kind === undefined ? problem : `${say(`webhook.problem.${kind}`)} (${problem})`;
}

export function listWebhooksCommand(options: WebhookCommandOptions): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => (options.json ? JSON.stringify({ items: await listWebhooks(context) }, null, 2) : webhookList(context, say)));
}

/**
 * The workspace's webhooks, one a line, in columns as a terminal shows them (URLs of several
 * lengths, a tag or segment in Chinese), times in the workspace's zone, named at the end.
 */
export async function webhookList(context: WorkspaceContext, say: Say): Promise<string> {
  const webhooks = await listWebhooks(context);
  if (webhooks.length === 0) return say('webhook.none');
  const utcOffsetMinutes = await workspaceUtcOffset(context);
  return [...terminalTable(webhooks.map((webhook) => webhookCells(webhook, say, utcOffsetMinutes))), say('customer.zone', { zone: formatUtcOffset(utcOffsetMinutes) })].join('\n');
}

function topicsOf(names: readonly string[]): WebhookTopic[] {
  const unknown = names.find((name) => !(WEBHOOK_TOPICS as readonly string[]).includes(name));
  if (unknown !== undefined) {
    throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`"${unknown}" is not a topic; the topics are ${WEBHOOK_TOPICS.join(', ')}`, `「${unknown}」不是推送内容；可选 ${WEBHOOK_TOPICS.join('、')}`) });
  }
  return names as WebhookTopic[];
}

export interface AddWebhookOptions {
  topic?: string[] | undefined;
  tag?: string[] | undefined;
  segment?: string[] | undefined;
  secret?: string | undefined;
}

export function addWebhookCommand(url: string, options: WebhookCommandOptions & AddWebhookOptions): Promise<SecretShown> {
  return inCommandWorkspace(options, (context, say) => addWebhook(context, say, url, options));
}

/**
 * Makes the webhook in the command's workspace. One that watches segments takes its first look
 * at them here, through an index of the command's own (started from the server's snapshot when
 * there is one), as the API does: left to the server's next round — which, with the server
 * stopped, is whenever it starts — everyone who entered a segment meanwhile would count among
 * the members it already had, and never be posted as entering.
 */
export async function addWebhook(context: WorkspaceContext, say: Say, url: string, options: AddWebhookOptions): Promise<SecretShown> {
  const [{ IndexRegistry }, { indexAudience }] = await Promise.all([import('../index/registry.js'), import('../index/audience.js')]);
  // The index is built only when a segment is looked at.
  const audience = indexAudience(new IndexRegistry(context.store, { snapshots: indexSnapshotsOn() }));
  const made = await createWebhook(
    context,
    {
      url,
      ...(options.topic ? { topics: topicsOf(options.topic) } : {}),
      ...(options.tag ? { tags: options.tag } : {}),
      ...(options.segment ? { segments: options.segment } : {}),
      ...(options.secret !== undefined ? { secret: options.secret } : {}),
    },
    audience,
  );
  await auditCli(context, 'webhook add', `#${made.id} ${made.url}`);
  return { before: [say('webhook.created', { id: String(made.id) }), webhookLine(made, say, await workspaceUtcOffset(context)), say('webhook.secret')], secret: made.secret, after: [] };
}

export interface WebhookTopicsOptions {
  /** Topics to post from now on. */
  add?: string[] | undefined;
  /** Topics to post no more. */
  remove?: string[] | undefined;
}

/**
 * `tagbase webhook topics ID --add T --remove T`: turns topics on or off for a webhook, as
 * `PATCH /webhooks/{id}` with its topics changed — a webhook made before a topic existed (or
 * without it) is given it here. A topic turned on starts from now: what happened before is not
 * posted, and the answer says so. Its filters stay; dropping a topic its `tags` or `segments`
 * filter is for is refused, as by the API.
 */
export function webhookTopicsCommand(id: number, options: WebhookCommandOptions & WebhookTopicsOptions): Promise<string> {
  return inCommandWorkspace(options, (context, say) => changeWebhookTopics(context, say, id, options));
}

/** The change `tagbase webhook topics` makes in the command's workspace, and what it answers. */
export async function changeWebhookTopics(context: WorkspaceContext, say: Say, id: number, options: WebhookTopicsOptions): Promise<string> {
    const add = topicsOf(options.add ?? []);
    const remove = topicsOf(options.remove ?? []);
    if (add.length + remove.length === 0) throw new TagbaseError('VALIDATION_FAILED', { detail: localized('say what to turn on (--add TOPIC) or off (--remove TOPIC)', '请说明要开启（--add 推送内容）或关闭（--remove 推送内容）的推送内容') });
    const both = add.find((topic) => remove.includes(topic));
    if (both !== undefined) throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`"${both}" is both added and removed`, `「${both}」同时被开启和关闭`) });
    const current = (await listWebhooks(context)).find((webhook) => webhook.id === id);
    if (!current) throw new TagbaseError('WEBHOOK_NOT_FOUND', { webhook: String(id) });
    const added = add.filter((topic) => !current.topics.includes(topic));
    const topics = [...current.topics.filter((topic) => !remove.includes(topic)), ...added];
    if (topics.length === 0) throw new TagbaseError('VALIDATION_FAILED', { detail: localized('a webhook posts at least one topic: remove the webhook instead (tagbase webhook remove)', 'Webhook 至少要推送一项内容：如不再需要，请删除它（tagbase webhook remove）') });
    // The segments an added segment_changes watches are looked at now, as when the webhook is made.
    const [{ IndexRegistry }, { indexAudience }] = await Promise.all([import('../index/registry.js'), import('../index/audience.js')]);
    const audience = added.includes('segment_changes') ? indexAudience(new IndexRegistry(context.store, { snapshots: indexSnapshotsOn() })) : undefined;
    const changed = await updateWebhook(context, id, { topics }, audience);
    await auditCli(context, 'webhook topics', `#${id} ${changed.topics.join(',')}`);
    return [
      say('webhook.done.topics', { id: String(id) }),
      webhookLine(changed, say, await workspaceUtcOffset(context)),
      ...(added.length > 0 ? [say('webhook.topicsFromNow', { topics: added })] : []),
    ].join('\n');
}

export function testWebhookCommand(id: number, options: WebhookCommandOptions): Promise<{ text: string; delivered: boolean }> {
  return inCommandWorkspace(options, async (context, say) => {
    const answer = await testWebhook(context, id);
    await auditCli(context, 'webhook test', `#${id}`);
    return answer.delivered
      ? { text: say('webhook.testDelivered', { id: String(id), status: String(answer.status ?? ''), ms: answer.took_ms }), delivered: true }
      : { text: say('webhook.testFailed', { id: String(id), error: problemInWords(answer.error ?? '', say), ms: answer.took_ms }), delivered: false };
  });
}

/** One line per post, newest first: when, what, how many, and how the receiver answered. */
export function webhookDeliveriesCommand(id: number, options: WebhookCommandOptions): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const deliveries = await listWebhookDeliveries(context, id);
    if (options.json) return JSON.stringify({ items: deliveries }, null, 2);
    if (deliveries.length === 0) return say('webhook.noDeliveries', { id: String(id) });
    const utcOffsetMinutes = await workspaceUtcOffset(context);
    return [
      ...deliveries.map((delivery) => {
        const items = delivery.first_id === null ? '' : `  ${deliveryItemsText(delivery, say)}`;
        const answer = delivery.delivered ? say('webhook.deliveryOk', { status: String(delivery.status ?? '') }) : say('webhook.deliveryFailed', { error: problemInWords(delivery.error ?? '', say) });
        return `${minuteInZone(Date.parse(delivery.at), utcOffsetMinutes)}  ${delivery.topic}${items}  ${answer}  ${delivery.took_ms} ms`;
      }),
      say('customer.zone', { zone: formatUtcOffset(utcOffsetMinutes) }),
    ].join('\n');
  });
}

/** How many changes or reminders a post carried and their ids: "3 items, ids 3–5", or "1 item, id 9". */
export function deliveryItemsText(delivery: { items: number; first_id: number | null; last_id: number | null }, say: Say): string {
  const first = String(delivery.first_id ?? '');
  if (delivery.last_id === null || delivery.last_id === delivery.first_id) return say('webhook.deliveryItem', { items: delivery.items, first });
  return say('webhook.deliveryItems', { items: delivery.items, first, last: String(delivery.last_id) });
}

export function rotateWebhookSecretCommand(id: number, options: WebhookCommandOptions & { secret?: string | undefined }): Promise<SecretShown> {
  return inCommandWorkspace(options, async (context, say) => {
    const rotated = await rotateWebhookSecret(context, id, options.secret !== undefined ? { secret: options.secret } : {});
    await auditCli(context, 'webhook rotate-secret', `#${id}`);
    return { before: [say('webhook.rotated', { id: String(id) })], secret: rotated.secret, after: [] };
  });
}

const CHANGES: Record<WebhookChange, (context: WorkspaceContext, id: number) => Promise<WebhookJson>> = { pause: pauseWebhook, resume: resumeWebhook, retry: retryWebhook };

/** `tagbase webhook pause|resume|retry ID`: the change, then the webhook's line as `list` shows it. */
export function changeWebhookCommand(change: WebhookChange, id: number, options: WebhookCommandOptions): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const webhook = await CHANGES[change](context, id);
    await auditCli(context, `webhook ${change}`, `#${id}`);
    // A webhook that is not failing has no pause to cut short: retrying it changed nothing.
    const done = change === 'retry' && webhook.failures === 0 ? 'webhook.done.retryHealthy' : (`webhook.done.${change}` as const);
    return [say(done, { id: String(id) }), webhookLine(webhook, say, await workspaceUtcOffset(context))].join('\n');
  });
}

/**
 * `tagbase webhook remove ID --yes`: only with --yes, as `segment delete` and `care remove`,
 * since it cannot be undone (its cursors and its deliveries go); without, says what would go.
 * A webhook that is not there is said first: a --yes asked for would delete nothing.
 */
export function removeWebhookCommand(id: number, options: WebhookCommandOptions & { yes: boolean }): Promise<{ text: string; done: boolean }> {
  return inCommandWorkspace(options, async (context, say) => {
    const webhook = (await listWebhooks(context)).find((listed) => listed.id === id);
    if (webhook === undefined) throw new TagbaseError('WEBHOOK_NOT_FOUND', { webhook: String(id) });
    if (!options.yes) return { text: say('webhook.removeAsk', { id: String(id), url: webhook.url }), done: false };
    await deleteWebhook(context, id);
    await auditCli(context, 'webhook remove', `#${id} ${webhook.url}`);
    return { text: say('webhook.removed', { id: String(id) }), done: true };
  });
}
