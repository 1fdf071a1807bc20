// `tagbase tag update TAG …` (or `tag edit`): a tag changed from the terminal, as PATCH
// /api/v1/tags/{tag} changes it — renamed, given a new key, colour, description or group, made
// multi- or single-valued, ordered or not, archived or restored, its kind (--kind rule with a
// --condition VALUE=EXPRESSION for each value, or --kind manual) and scope changed — and its
// values added (POST /tags/{tag}/values) or renamed (PATCH /tags/{tag}/values/{value}); a rule it
// starts is applied to everyone at once, its progress on standard error.
import { namedInMessage, namesInMessage, TagbaseError } from '../core/errors.js';
import { localized, type Locale } from '../core/locale.js';
import { nothingToChange } from '../core/patch.js';
import { tagPatchSchema, valueNamingClash, type TagDefinition, type TagKind, type TagPatch, type TagScope } from '../core/tag.js';
import { addTagValue, ConditionsMissing, countTagHolders, getTag, getTagValue, updateTag, updateTagValue } from '../engine/library.js';
import { cliMessages } from './messages.js';
import { rulePassBars } from './progress.js';
import { auditCli } from './audit-entry.js';
import { openIndexedWorkspace, openMigratedStore } from './store-options.js';
import { conditionsGiven, parseTagOptions, valueGiven, valuesLine, type ValueGiven } from './tag-options.js';

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
  name?: string | undefined;
  key?: string | undefined;
  description?: string | undefined;
  color?: string | undefined;
  /** A group's key or name, or `false` (`--no-group`) for none. */
  group?: string | false | undefined;
  multi?: boolean | undefined;
  single?: boolean | undefined;
  ordered?: boolean | undefined;
  /** Days an assignment lasts unless told otherwise, or `false` (`--no-expires-in`) for no end. */
  expiresIn?: number | false | undefined;
  archive?: boolean | undefined;
  restore?: boolean | undefined;
  /** `NAME` or `KEY=NAME`: values added at the end, in order. */
  addValues?: readonly string[] | undefined;
  /** `VALUE=NAME`: a value, by key or name, given a new name. */
  renameValues?: readonly string[] | undefined;
}

/** Every option that changes something, as a change naming none says them. */
const CHANGING_OPTIONS = ['--name', '--key', '--description', '--color', '--group', '--multi', '--single', '--ordered', '--expires-in', '--archive', '--restore', '--kind', '--scope', '--add-value', '--rename-value'];

/** Where each field of the API's body comes from on the command line, for its errors. */
const PLACES = {
  key: localized('--key', '--key'),
  name: localized('--name', '--name'),
  description: localized('--description', '--description'),
  color: localized('--color', '--color'),
  group: localized('--group', '--group'),
  default_expiry_days: localized('--expires-in', '--expires-in'),
  kind: localized('--kind', '--kind'),
  conditions: localized('--condition', '--condition'),
};

const refused = (en: string, zh: string) => new TagbaseError('VALIDATION_FAILED', { detail: localized(en, zh) });

/** What the options ask for: the PATCH of the tag, then values renamed and added; refused as the API's bodies would be before anything opens. */
export function tagUpdateChange(options: TagUpdateOptions): { patch: TagPatch; renames: { value: string; name: string }[]; additions: ValueGiven[] } {
  const conditions = conditionsGiven(options.conditions ?? []);
  const given = Object.keys(conditions).length > 0;
  if (given && options.kind !== 'rule') throw refused('--condition comes with --kind rule', '--condition 需与 --kind rule 一起使用');
  if (options.multi && options.single) throw refused('--multi and --single ask for opposite things: give one', '--multi 和 --single 相互矛盾：请只给一个');
  if (options.archive && options.restore) throw refused('--archive and --restore ask for opposite things: give one', '--archive 和 --restore 相互矛盾：请只给一个');
  const body = {
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.key !== undefined ? { key: options.key } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.color !== undefined ? { color: options.color } : {}),
    ...(options.group !== undefined ? { group: options.group === false ? null : options.group } : {}),
    ...(options.multi ? { cardinality: 'multi' } : options.single ? { cardinality: 'single' } : {}),
    ...(options.ordered !== undefined ? { ordered: options.ordered } : {}),
    ...(options.expiresIn !== undefined ? { default_expiry_days: options.expiresIn === false ? null : options.expiresIn } : {}),
    ...(options.archive ? { status: 'archived' } : options.restore ? { status: 'active' } : {}),
    ...(options.kind !== undefined ? { kind: options.kind } : {}),
    ...(given ? { conditions } : {}),
    ...(options.scope !== undefined ? { scope: options.scope } : {}),
  };
  const patch = parseTagOptions(tagPatchSchema, body, PLACES);
  const renames = (options.renameValues ?? []).map((pair) => {
    const split = pair.indexOf('=');
    const value = pair.slice(0, Math.max(split, 0)).trim();
    const name = pair.slice(split + 1).trim();
    if (split <= 0 || value === '' || name === '') throw refused(`--rename-value "${pair}": write VALUE=NEW_NAME (low=普通客户)`, `--rename-value「${pair}」：请写成 值=新名称（low=普通客户）`);
    return { value, name };
  });
  const additions = (options.addValues ?? []).map((text) => valueGiven(text, '--add-value'));
  if (Object.keys(body).length === 0 && renames.length === 0 && additions.length === 0) throw nothingToChange(CHANGING_OPTIONS);
  return { patch, renames, additions };
}

/** The patch the options ask for, refused as the API's body would be before anything opens. */
export function tagUpdatePatch(options: TagUpdateOptions): TagPatch {
  return tagUpdateChange(options).patch;
}

/** The values a rule tag would be left without a condition, named all at once in the command's words: `-c VALUE=EXPRESSION`, not the API's `conditions`. */
export function conditionsMissingHere(values: readonly string[]): TagbaseError {
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
  const { patch, renames, additions } = tagUpdateChange(options);
  const say = cliMessages(options.locale);
  const store = await openMigratedStore(options.database);
  const bars = rulePassBars(process.stderr.isTTY, options.locale);
  let changed: TagDefinition | undefined;
  const context = await openIndexedWorkspace(store, options.workspace, options.actor ?? 'cli', bars.update).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  try {
    // The values named found, and those added free, before anything is saved: a change refused
    // midway would leave the ones before it made.
    const before = await getTag(context, key);
    if (additions.length > 0 && (patch.kind ?? before.kind) === 'rule') {
      throw refused(
        `--add-value: every value of a rule tag needs a condition, which this command does not take for a new value: add it in the console or with POST /api/v1/tags/${before.key}/values`,
        `--add-value：规则标签的每个值都需要条件，本命令不能为新值给出条件：请在控制台或用 POST /api/v1/tags/${before.key}/values 添加`,
      );
    }
    const renamed = new Map(renames.map((rename) => [getTagValue(before, rename.value).id, rename.name]));
    const taken = before.values.map((value) => ({ key: value.key, name: renamed.get(value.id) ?? value.name }));
    for (const value of additions) {
      const clash = valueNamingClash(taken, value);
      if (clash !== undefined) throw new TagbaseError('TAG_VALUE_EXISTS', { tag: before.key, tagNamed: namedInMessage(before), value: clash.taken });
      taken.push(value);
    }
    let tag = Object.keys(patch).length === 0 ? before : await updateTag(context, before.key, patch).catch((error: unknown) => {
      throw error instanceof ConditionsMissing ? conditionsMissingHere(error.values) : error;
    });
    if (Object.keys(patch).length > 0) changed = tag;
    // One call each, as the API takes them: a value refused leaves the changes before it made, and the trail records them.
    for (const rename of renames) changed = tag = await updateTagValue(context, tag.key, rename.value, { name: rename.name });
    for (const value of additions) changed = tag = await addTagValue(context, tag.key, value);
    bars.stop();
    const held = await countTagHolders(context, tag.id);
    const kind = say(tag.kind === 'rule' ? 'tag.kindRule' : 'tag.kindManual');
    const scope = tag.scope === 'personal' ? say('tag.scopePersonal', { owner: tag.owner ?? '' }) : say('tag.scopeEnterprise');
    const lines = [say('tag.updated', { name: tag.name, key: tag.key, kind, scope, count: held })];
    if (tag.status === 'archived') lines.push(say('tag.archived'));
    if (renames.length > 0 || additions.length > 0) lines.push(say('tag.valuesLine', { values: valuesLine(tag) }));
    return lines.join('\n');
  } finally {
    bars.stop();
    if (changed !== undefined) await auditCli(context, 'tag update', `/tags/${encodeURIComponent(changed.key)}`);
    await store.close();
  }
}
