// `tagbase tag update TAG --kind rule --condition VALUE=EXPRESSION …|--kind manual|--scope …`: a
// tag's kind and scope changed from the terminal, as PATCH /api/v1/tags/{tag} changes them; a
// rule it starts is applied to everyone at once, its progress on standard error.
import { namesInMessage, TagbaseError } from '../core/errors.js';
import { localized, type Locale } from '../core/locale.js';
import { nothingToChange } from '../core/patch.js';
import type { TagKind, TagPatch, TagScope } from '../core/tag.js';
import { ConditionsMissing, updateTag } from '../engine/library.js';
import { cliMessages } from './messages.js';
import { rulePassBars } from './progress.js';
import { auditCli } from './audit-entry.js';
import { openIndexedWorkspace, openMigratedStore } from './store-options.js';

export interface TagUpdateOptions {
  workspace: string;
  database?: string | undefined;
  /** Who acts: a tag made personal becomes theirs, and a personal tag is found only by its owner. */
  actor?: string | undefined;
  locale?: Locale | undefined;
  kind?: Exclude<TagKind, 'model'> | undefined;
  scope?: TagScope | undefined;
  /** `VALUE=EXPRESSION`, a value's condition by its key or name. */
  conditions?: readonly string[] | undefined;
}

/** The patch the options ask for, refused as the API's body would be before anything opens. */
export function tagUpdatePatch(options: TagUpdateOptions): TagPatch {
  const conditions: Record<string, string> = {};
  for (const pair of options.conditions ?? []) {
    const split = pair.indexOf('=');
    const condition = pair.slice(split + 1).trim();
    if (split <= 0 || condition === '') throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`--condition "${pair}": write VALUE=EXPRESSION (high='spend_365d >= 1000')`, `--condition「${pair}」：请写成 值=表达式（high='spend_365d >= 1000'）`) });
    conditions[pair.slice(0, split).trim()] = condition;
  }
  const given = Object.keys(conditions).length > 0;
  if (given && options.kind !== 'rule') throw new TagbaseError('VALIDATION_FAILED', { detail: localized('--condition comes with --kind rule', '--condition 需与 --kind rule 一起使用') });
  if (options.kind === undefined && options.scope === undefined) throw nothingToChange(['--kind', '--scope']);
  return { ...(options.kind !== undefined ? { kind: options.kind } : {}), ...(given ? { conditions } : {}), ...(options.scope !== undefined ? { scope: options.scope } : {}) };
}

/** The values a rule tag would be left without a condition, named all at once in the command's words: `-c VALUE=EXPRESSION`, not the API's `conditions`. */
function conditionsMissingHere(values: readonly string[]): TagbaseError {
  const named = namesInMessage(values);
  const options = (expression: string) => values.map((value) => `-c ${value}=${expression}`).join(' ');
  return new TagbaseError('VALIDATION_FAILED', {
    detail:
      values.length === 1
        ? localized(`every value of a rule tag needs a condition: give one for ${named.en} with ${options('EXPRESSION')}`, `规则标签的每个值都需要条件：请用 ${options('表达式')} 为${named['zh-CN']}给出条件`)
        : localized(`every value of a rule tag needs a condition: give one for each of ${named.en} with ${options('EXPRESSION')}`, `规则标签的每个值都需要条件：请用 ${options('表达式')} 为${named['zh-CN']}各给出条件`),
  });
}

export async function updateTagCommand(key: string, options: TagUpdateOptions): Promise<string> {
  const patch = tagUpdatePatch(options);
  const say = cliMessages(options.locale);
  const store = await openMigratedStore(options.database);
  const bars = rulePassBars(process.stderr.isTTY, options.locale);
  try {
    const context = await openIndexedWorkspace(store, options.workspace, options.actor ?? 'cli', bars.update);
    const tag = await updateTag(context, key, patch).catch((error: unknown) => {
      throw error instanceof ConditionsMissing ? conditionsMissingHere(error.values) : error;
    });
    bars.stop();
    await auditCli(context, 'tag update', `/tags/${encodeURIComponent(tag.key)}`);
    const held = await store.db.selectFrom('assignments').select((eb) => eb.fn.count<number | string>('customer_id').distinct().as('n')).where('tag_id', '=', tag.id).executeTakeFirst();
    const kind = say(tag.kind === 'rule' ? 'tag.kindRule' : 'tag.kindManual');
    const scope = tag.scope === 'personal' ? say('tag.scopePersonal', { owner: tag.owner ?? '' }) : say('tag.scopeEnterprise');
    return say('tag.updated', { name: tag.name, key: tag.key, kind, scope, count: Number(held?.n ?? 0) });
  } finally {
    bars.stop();
    await store.close();
  }
}
