// `tagbase model list|enable|refresh|disable`: the ready-made models from the terminal.
import { TagbaseError } from '../core/errors.js';
import { duplicateJsonKeys } from '../core/json-duplicate-keys.js';
import { localized, type Locale } from '../core/locale.js';
import type { WorkspaceContext } from '../engine/context.js';
import { configureModel, disableModel, listModels, refreshModel, type ModelJson } from '../engine/models.js';
import { formatUtcOffset } from '../core/time.js';
import { workspaceUtcOffset } from '../engine/metrics.js';
import { localMinute } from './customer.js';
import { cliLocale } from './errors.js';
import { cliMessages, type Say } from './messages.js';
import { rulePassBars } from './progress.js';
import { auditCli, type CliAuditAction } from './audit-entry.js';
import { openIndexedWorkspace, openMigratedStore } from './store-options.js';

export interface ModelCommandOptions {
  workspace: string;
  database?: string | undefined;
  /** The language of the output; the locale settings' when not given. */
  locale?: Locale | undefined;
  /** `model enable --tag-key`: the key of the model's tag. */
  tagKey?: string | undefined;
  /** `list`: print the models as `GET /api/v1/models` lists them, as JSON. */
  json?: boolean | undefined;
  /** Who acts, as the audit trail names them ('cli' when not given). */
  actor?: string | undefined;
}

async function inWorkspace<T>(options: ModelCommandOptions, body: (context: WorkspaceContext) => Promise<T>): Promise<T> {
  const store = await openMigratedStore(options.database);
  const bars = rulePassBars(process.stderr.isTTY, options.locale);
  try {
    return await body(await openIndexedWorkspace(store, options.workspace, 'model', bars.update));
  } finally {
    bars.stop();
    await store.close();
  }
}

/**
 * Records a model's change. The change itself is made as `model`, as before: a model's tag is
 * the enterprise's, whoever set it up; the trail names who did.
 */
async function audit(context: WorkspaceContext, options: ModelCommandOptions, action: CliAuditAction, target: string): Promise<void> {
  await auditCli({ ...context, actor: options.actor ?? 'cli' }, action, target);
}

/**
 * `window_days=180`, `recency=median`, `bounds=[500,1000]` or `bounds=500,1000`,
 * `categories=服装,鞋靴`: JSON when it parses, a list when it has commas, text otherwise.
 */
export function parseModelParams(pairs: readonly string[], locale?: Locale): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const split = pair.indexOf('=');
    if (split <= 0) throw new Error(cliMessages(locale)('invalid.param', { pair }));
    params[pair.slice(0, split)] = paramValue(pair, split, locale);
  }
  return params;
}

/** The value of `pair`, written after its `=` at `split`. */
function paramValue(pair: string, split: number, locale: Locale | undefined): unknown {
  const text = pair.slice(split + 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: a list written as a shell user would (500,1000 or 服装，鞋靴), or a word such as median or 杭州.
    return wordsOrList(text);
  }
  // A key given twice is refused, as the API refuses it in a body, rather than read as its last value.
  const [twice] = duplicateJsonKeys(text, parsed);
  if (twice !== undefined) {
    const path = [pair.slice(0, split), ...twice.place].join('.');
    // Columns of the argument as typed, NAME= included (a value is written on one line).
    throw new Error(cliMessages(locale)('invalid.paramKeyTwice', { path, key: JSON.stringify(twice.key), column: split + 1 + twice.column, first: split + 1 + twice.firstColumn }));
  }
  return parsed;
}

function wordsOrList(text: string): unknown {
  if (!/[,，]/.test(text)) return text;
  const items = text.split(/[,，]/).map((item) => item.trim()).filter((item) => item !== '');
  return items.every((item) => Number.isFinite(Number(item))) ? items.map(Number) : items;
}

/**
 * What the brackets beside a catalog name hold: for an English reader the catalog's English
 * gloss (`生命周期 (lifecycle, lifecycle)`), then the key when one is asked for; for a Chinese
 * reader the key alone (`生命周期（lifecycle）`), as the tag library lists a name and its key.
 */
function aside(item: { english: string; key: string }, locale: Locale, withKey: boolean): string[] {
  return [...(locale === 'en' ? [item.english] : []), ...(withKey || locale !== 'en' ? [item.key] : [])];
}

/** A model as set up, its thresholds' time on the workspace's clock as the console shows it (not in UTC). */
async function describe(context: WorkspaceContext, model: ModelJson, say: Say, locale: Locale): Promise<string> {
  const utcOffsetMinutes = await workspaceUtcOffset(context);
  const time = (iso: string) => `${localMinute(iso, utcOffsetMinutes)} ${formatUtcOffset(utcOffsetMinutes)}`;
  const lines = [
    say('model.heading', { name: model.name, aside: aside(model, locale, true), state: model.enabled ? say('model.enabled') : say('model.notEnabled') }),
    say('model.params', { params: JSON.stringify(model.params) }),
    ...(model.tag_key === null ? [] : [say('model.tag', { tag: model.tag_key })]),
  ];
  const thresholds = model.thresholds;
  if (thresholds) {
    lines.push(say('model.thresholds', { customers: thresholds.customers, computedAt: time(thresholds.computed_at), recency: thresholds.recency, frequency: thresholds.frequency, monetary: thresholds.monetary }));
  }
  // Said rather than thresholds of 0 shown: the last computation had no buyers to compute them from.
  if (model.no_buyers_at !== null) lines.push(say(thresholds ? 'model.noBuyersKept' : 'model.noBuyers', { at: time(model.no_buyers_at) }));
  for (const value of model.values) lines.push(`  ${say('model.named', { name: value.name, aside: aside(value, locale, false) })} ⇐ ${value.condition}`);
  return lines.join('\n');
}

export function listModelsCommand(options: ModelCommandOptions): Promise<string> {
  return inWorkspace(options, async (context) => {
    const models = await listModels(context);
    if (options.json) return JSON.stringify({ items: models }, null, 2);
    const locale = options.locale ?? cliLocale();
    const say = cliMessages(locale);
    // The key stands in its own column: a Chinese reader reads the name alone beside it.
    return models.map((model) => `${model.enabled ? '●' : '○'} ${model.key.padEnd(15)} ${locale === 'en' ? say('model.named', { name: model.name, aside: aside(model, locale, false) }) : model.name}`).join('\n');
  });
}

/**
 * The model's tag key held by another tag, said with this command's options (`--tag-key`,
 * `tagbase tag update --key`) rather than the API's body and path, which the engine's words name.
 */
function keyTakenOnTheCommandLine(error: unknown): unknown {
  if (!(error instanceof TagbaseError) || error.code !== 'MODEL_CONFLICT') return error;
  const { model, taken_key: key, taken_name: name, taken_kind: kind, tag_key: own, renamed_key: renamed } = error.params;
  if (typeof model !== 'string' || typeof key !== 'string' || typeof name !== 'string' || typeof kind !== 'string') return error;
  const kindZh = kind === 'rule' ? '规则' : kind === 'model' ? '模型' : '手工';
  const taken = localized(`the ${kind} tag "${name}" already uses the key "${key}"`, `${kindZh}标签「${name}」已使用标识「${key}」`);
  const detail =
    typeof own !== 'string'
      ? localized(`${taken.en}; choose another --tag-key`, `${taken['zh-CN']}，请换一个 --tag-key`)
      : typeof renamed === 'string'
        ? localized(
            `${taken.en}; give that tag its new key first (tagbase tag update ${key} --key ${renamed}), or give the model's tag another key (tagbase model enable ${model} --tag-key ${own})`,
            `${taken['zh-CN']}，请先给该标签换上新标识（tagbase tag update ${key} --key ${renamed}），或给模型的标签另取标识（tagbase model enable ${model} --tag-key ${own}）`,
          )
        : localized(
            `${taken.en}; give the model's tag another key (tagbase model enable ${model} --tag-key ${own}), or give that tag another key first (tagbase tag update ${key} --key NEW_KEY)`,
            `${taken['zh-CN']}，请给模型的标签另取标识（tagbase model enable ${model} --tag-key ${own}），或先给该标签换一个标识（tagbase tag update ${key} --key 新标识）`,
          );
  return new TagbaseError('MODEL_CONFLICT', { model, detail });
}

export function enableModelCommand(name: string, pairs: readonly string[], options: ModelCommandOptions): Promise<string> {
  const params = parseModelParams(pairs, options.locale);
  return inWorkspace(options, async (context) => {
    const model = await configureModel(context, name, params, { tagKey: options.tagKey }).catch((error: unknown) => {
      throw keyTakenOnTheCommandLine(error);
    });
    await audit(context, options, 'model enable', `/models/${encodeURIComponent(model.key)}`);
    return describe(context, model, cliMessages(options.locale), options.locale ?? cliLocale());
  });
}

export function refreshModelCommand(name: string, options: ModelCommandOptions): Promise<string> {
  return inWorkspace(options, async (context) => {
    const model = await refreshModel(context, name);
    await audit(context, options, 'model refresh', `/models/${encodeURIComponent(model.key)}/refresh`);
    const say = cliMessages(options.locale);
    const described = await describe(context, model, say, options.locale ?? cliLocale());
    return model.not_refreshed?.code === 'NO_THRESHOLDS' ? `${say('model.nothingToRefresh', { name: model.key })}\n${described}` : described;
  });
}

export function disableModelCommand(name: string, options: ModelCommandOptions): Promise<string> {
  return inWorkspace(options, async (context) => {
    await disableModel(context, name);
    await audit(context, options, 'model disable', `/models/${encodeURIComponent(name)}`);
    return cliMessages(options.locale)('model.disabled', { name });
  });
}
