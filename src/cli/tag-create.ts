// `tagbase tag create NAME --values A,B …`: a tag of the library made from the terminal, as POST
// /api/v1/tags makes it, its body checked by the API's schema and saved by the same engine call
// (a rule tag, `--kind rule -c VALUE=EXPRESSION …`, applied to everyone at once, its progress on
// standard error).
import { TagbaseError } from '../core/errors.js';
import { localized, type Locale } from '../core/locale.js';
import { KEY_RULE, KEY_RULE_ZH, isValidKey } from '../core/names.js';
import { findTagValue, tagInputSchema, type TagInput, type TagScope } from '../core/tag.js';
import { createTag } from '../engine/library.js';
import { auditCli } from './audit-entry.js';
import { cliMessages } from './messages.js';
import { rulePassBars } from './progress.js';
import { openIndexedWorkspace, openMigratedStore } from './store-options.js';
import { conditionsGiven, parseTagOptions, tagTraits, valueList, valuesLine } from './tag-options.js';
import { conditionsMissingHere } from './tag-update.js';

export interface TagCreateOptions {
  workspace: string;
  database?: string | undefined;
  /** Who acts: the audit trail names them, and a personal tag becomes theirs. */
  actor?: string | undefined;
  locale?: Locale | undefined;
  /** The tag's key; its name when not given, if the name can be a key. */
  key?: string | undefined;
  /** `A,B` or `a=A,b=B`: the preset values, in order. */
  values?: string | undefined;
  multi?: boolean | undefined;
  ordered?: boolean | undefined;
  color?: string | undefined;
  description?: string | undefined;
  group?: string | undefined;
  expiresIn?: number | undefined;
  scope?: TagScope | undefined;
  kind?: 'manual' | 'rule' | undefined;
  /** `VALUE=EXPRESSION`, a value's condition by its key or name (with `kind: 'rule'`). */
  conditions?: readonly string[] | undefined;
}

/** Where each field of the API's body comes from on the command line, for its errors. */
const PLACES = {
  key: localized('--key', '--key'),
  name: localized("the tag's name", '标签名称'),
  description: localized('--description', '--description'),
  color: localized('--color', '--color'),
  group: localized('--group', '--group'),
  default_expiry_days: localized('--expires-in', '--expires-in'),
  values: localized('--values', '--values'),
  kind: localized('--kind', '--kind'),
};

/** The body of POST /tags the options ask for, refused as the API refuses it, before anything opens. */
export function tagCreateInput(name: string, options: TagCreateOptions): TagInput {
  const trimmed = name.trim();
  const key = options.key?.trim() ?? trimmed;
  if (options.key === undefined && trimmed !== '' && !isValidKey(key)) {
    throw new TagbaseError('VALIDATION_FAILED', {
      detail: localized(`the name "${trimmed}" cannot be the tag's key (${KEY_RULE}): give one with --key`, `名称「${trimmed}」不能用作标签的标识（${KEY_RULE_ZH}）：请用 --key 给出标识`),
    });
  }
  if (options.values === undefined) throw new TagbaseError('VALIDATION_FAILED', { detail: localized('give the tag\'s values with --values, such as --values 高,中,低 or --values high=高,low=低', '请用 --values 给出标签的值，如 --values 高,中,低 或 --values high=高,low=低') });
  const values = valueList(options.values).map((value) => ({ ...value }) as { key: string; name: string; condition?: string });
  const conditions = conditionsGiven(options.conditions ?? []);
  const given = Object.entries(conditions);
  if (given.length > 0 && options.kind !== 'rule') throw new TagbaseError('VALIDATION_FAILED', { detail: localized('--condition comes with --kind rule', '--condition 需与 --kind rule 一起使用') });
  for (const [named, condition] of given) {
    const value = findTagValue({ values: values.map((each, index) => ({ ...each, id: index, color: null, description: null, sortOrder: index, condition: null })) }, named);
    if (value === undefined) throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`--condition "${named}=…": --values has no value "${named}"`, `--condition「${named}=…」：--values 中没有值「${named}」`) });
    const target = values[value.id];
    if (target !== undefined) target.condition = condition;
  }
  if (options.kind === 'rule') {
    const without = values.filter((value) => value.condition === undefined).map((value) => value.key);
    if (without.length > 0) throw conditionsMissingHere(without);
  }
  return parseTagOptions(tagInputSchema, {
    key,
    name,
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.color !== undefined ? { color: options.color } : {}),
    ...(options.group !== undefined ? { group: options.group } : {}),
    ...(options.scope !== undefined ? { scope: options.scope } : {}),
    cardinality: options.multi ? 'multi' : 'single',
    ordered: options.ordered ?? false,
    ...(options.expiresIn !== undefined ? { default_expiry_days: options.expiresIn } : {}),
    kind: options.kind ?? 'manual',
    values,
  }, PLACES);
}

export async function createTagCommand(name: string, options: TagCreateOptions): Promise<string> {
  const input = tagCreateInput(name, options);
  const say = cliMessages(options.locale);
  const store = await openMigratedStore(options.database);
  const bars = rulePassBars(process.stderr.isTTY, options.locale);
  try {
    const context = await openIndexedWorkspace(store, options.workspace, options.actor ?? 'cli', bars.update);
    const tag = await createTag(context, input);
    bars.stop();
    await auditCli(context, 'tag create', `/tags/${encodeURIComponent(tag.key)}`);
    const held = tag.kind === 'rule' ? await store.db.selectFrom('assignments').select((eb) => eb.fn.count<number | string>('customer_id').distinct().as('n')).where('tag_id', '=', tag.id).executeTakeFirst() : undefined;
    return [
      say('tag.created', { name: tag.name, key: tag.key, traits: tagTraits(tag, say) }),
      say('tag.valuesLine', { values: valuesLine(tag) }),
      ...(held !== undefined ? [say('tag.ruleHolders', { count: Number(held.n) })] : []),
    ].join('\n');
  } finally {
    bars.stop();
    await store.close();
  }
}
