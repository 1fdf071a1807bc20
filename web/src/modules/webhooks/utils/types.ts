// Webhooks as the server answers them: never the secret, except once when one is made.
export interface Webhook {
  id: number;
  /** A password written in the URL comes back as `***`. */
  url: string;
  /** Tag keys whose changes are posted; empty for every shared tag. */
  tags: string[];
  /** Keys of the saved segments whose entries and exits are posted; empty for every one. */
  segments: string[];
  /** What it posts: tag changes, segment entries and exits, care reminders as they fall due. */
  topics: WebhookTopic[];
  /** Failed attempts in a row; 0 once a post has gone through. */
  failures: number;
  last_error: string | null;
  last_delivered_at: string | null;
  /** Null unless it is failing (and not paused). */
  next_attempt_at: string | null;
  /** When it was paused and by whom; null while it posts. */
  paused_at: string | null;
  paused_by: string | null;
  /** `failing` when it paused itself after failing for 3 days in a row, `manual` by hand; null while it posts. */
  paused_reason: 'manual' | 'failing' | null;
  /** When its failures in a row began; null when the last post got through. */
  failing_since: string | null;
  actor: string;
  created_at: string;
}

/** What an operator sets of a webhook (where and what it posts), apart from how its deliveries go, which its ETag covers too. */
export function webhookDefinition(webhook: Webhook): string {
  return JSON.stringify([webhook.url, webhook.topics, webhook.tags, webhook.segments]);
}

/** How the receiver answered a test post. */
export interface WebhookTestAnswer {
  delivered: boolean;
  /** Null when it could not be reached or did not answer in time. */
  status: number | null;
  error: string | null;
  took_ms: number;
}

/** One post to a webhook, as its deliveries log keeps it (the last 100, newest first). */
export interface WebhookDelivery {
  id: number;
  topic: WebhookTopic | 'test';
  /** Changes or reminders in the post; 0 for a test. */
  items: number;
  first_id: number | null;
  last_id: number | null;
  delivered: boolean;
  /** Null when the receiver could not be reached or did not answer in time. */
  status: number | null;
  error: string | null;
  took_ms: number;
  at: string;
}

export interface WebhookDeliveryList {
  items: WebhookDelivery[];
}

export interface WebhookList {
  items: Webhook[];
}

/** The answer to making a webhook: the only time its signing secret travels. */
export interface MadeWebhook extends Webhook {
  secret: string;
}

export type WebhookTopic = 'tag_changes' | 'segment_changes' | 'care_reminders' | 'customer_changes';

export const WEBHOOK_TOPICS: readonly WebhookTopic[] = ['tag_changes', 'segment_changes', 'care_reminders', 'customer_changes'];

/** What a change of a webhook may set; its secret stays. */
export interface WebhookPatch {
  url?: string;
  tags?: string[];
  segments?: string[];
  topics?: WebhookTopic[];
}

export interface WebhookInput {
  url: string;
  tags?: string[];
  segments?: string[];
  secret?: string;
  topics?: WebhookTopic[];
}
