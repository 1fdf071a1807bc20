// Customers: batch upsert by the merchant's id, identities that are unique in a workspace,
// custom fields checked against their declarations, and lookups that follow merges.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type NotNull, type Selectable, type SqlBool, type Transaction } from 'kysely';
import { TagbaseError, batchItemError, cursorRefused, fieldError, didYouMean, formatErrorMessage, type ItemError } from '../core/errors.js';
import { localized, type LocalizedText } from '../core/locale.js';
import { isMaskedIdentity, maskIdentity, type PersonalDataView } from '../core/access.js';
import {
  BUILTIN_FIELD_KEYS,
  COMPUTED_FIELD_NAMES,
  isComputedField,
  reachabilityValues,
  type ComputedFieldKey,
  customFieldProblem,
  storedCustomValue,
  customerInputSchema,
  customerInputSchemaAt,
  identitySchema,
  latestBirthday,
  IDENTITY_KIND_LABELS,
  IDENTITY_KINDS,
  normalizeIdentity,
  type CustomFieldDefinition,
  type CustomFieldValue,
  type CustomerInput,
  type Identity,
  type IdentityKind,
} from '../core/customer.js';
import { nameSearchKey, nameSearchPatterns } from '../core/name-search.js';
import { nearestName } from '../core/names.js';
import { randomBucket } from '../core/random-bucket.js';
import { parseTimestamp, parseWorkspaceTime, toIso, toIsoOrNull, zonelessTime } from '../core/time.js';
import { assertBatchSize, parseBatch, rejectBatchIfInvalid } from '../core/validation.js';
import { IDS_PER_QUERY, chunks, rowsPerInsert } from '../store/chunks.js';
import type { CustomerTable, Database } from '../store/schema.js';
import { writeCustomers, type WorkspaceContext } from './context.js';
import { propagateCustomers } from './propagate.js';
import { listCustomFields } from './fields.js';
import { writeGrouped, type GroupWriter } from './group-commit.js';
import { workspaceUtcOffset } from './metrics.js';
import type { Audience } from './segments.js';

type Db = Kysely<Database> | Transaction<Database>;
type CustomerRow = Selectable<CustomerTable>;
type NewCustomerRow = Omit<CustomerRow, 'id'>;

export const MAX_CUSTOMER_BATCH = 10_000;

export interface UpsertCustomersResult {
  received: number;
  created: number;
  /** Customers that were there and whose stored fields or identities the batch changed. */
  updated: number;
  /** Customers that were there and already held everything the batch sent for them: not written again. */
  unchanged: number;
  /** Items that were not stored, when the caller asked to keep the good ones. */
  rejected: ItemError[];
}

interface PreparedCustomer {
  index: number;
  input: CustomerInput;
  identities: Identity[];
}

/** A number as Excel writes a long one in a General cell saved as CSV (`1.38123E+10`): its last digits are gone. */
const SCIENTIFIC_NOTATION = /^\d+(?:\.\d+)?E\+\d+$/i;

/**
 * Upserts a batch. By default the whole batch is rejected when any item is bad, with every
 * problem of every item; with `keepGood`, good items are stored and bad ones are reported, each
 * with all its problems (import uses this).
 * Batches that arrive while another is being written for the same workspace and actor are
 * written together (group commit, src/engine/group-commit.ts), each answered with its own counts.
 */
export async function upsertCustomers(context: WorkspaceContext, items: readonly unknown[], options: { keepGood?: boolean; utcOffsetMinutes?: number } = {}): Promise<UpsertCustomersResult> {
  assertBatchSize(items.length, MAX_CUSTOMER_BATCH);
  // A `first_seen_at` without an offset is on the workspace's clock, as an import reads one.
  const utcOffsetMinutes = options.utcOffsetMinutes ?? (items.some((item) => zonelessTime(item, 'first_seen_at')) ? await workspaceUtcOffset(context) : 0);
  const parsed = parseBatch(customerSchemaAt(context.now().getTime(), utcOffsetMinutes), items);
  const { values } = parsed;
  const errors = parsed.errors.map(computedFieldRefusal);
  const fields = new Map((await listCustomFields(context)).map((field) => [field.key, field]));
  const prepared: PreparedCustomer[] = [];
  const claims: IdentityClaim[] = [];
  values.forEach((input, index) => {
    // An item the schema refused is still checked for what can be checked (its identities, its
    // custom fields), so that a row with a bad phone and an impossible birthday hears of both.
    const parts = input ?? checkableParts(items[index]);
    const itemErrors = checkCustomFields(index, parts.custom ?? {}, fields);
    const identities: Identity[] = [];
    const claim: IdentityClaim = { index, id: input?.id ?? idOf(items[index]), identities: [] };
    for (const [position, identity] of (parts.identities ?? []).entries()) {
      // An entry the schema refused (an unknown kind) is reported already; the others are still checked.
      if (identity === undefined) continue;
      const normalized = normalizeIdentity(identity.kind, identity.value);
      if (isMaskedIdentity(identity.kind, identity.value)) {
        // As a portrait, a list or an export shows it to a role that sees identifiers masked
        // (z***@example.com is a well-formed e-mail): stored, it would stand for the customer's own.
        const text = localized(
          `"${identity.value}" is a masked ${identity.kind}, as shown to roles that do not see identifiers whole; send the ${identity.kind} itself, or leave it out`,
          `「${identity.value}」是打码后的${IDENTITY_KIND_LABELS[identity.kind]}（不能查看完整标识的角色看到的样子）；请发送完整的${IDENTITY_KIND_LABELS[identity.kind]}，或不发送此项`,
        );
        itemErrors.push(batchItemError(index, 'VALIDATION_FAILED', ['identities', position], text));
      } else if (normalized === undefined) {
        const text = identity.kind === 'phone' && SCIENTIFIC_NOTATION.test(identity.value.trim())
          ? localized(
              `"${identity.value}" is not a valid phone: Excel wrote the number in scientific notation, and its last digits are lost; format the column as text in Excel before saving it as CSV, or import the .xlsx itself`,
              `「${identity.value}」不是有效的${IDENTITY_KIND_LABELS.phone}：Excel 把号码写成了科学计数法，后几位已经丢失；请先在 Excel 中把这一列设为文本格式再另存为 CSV，或直接导入 .xlsx 文件`,
            )
          : localized(`"${identity.value}" is not a valid ${identity.kind}`, `「${identity.value}」不是有效的${IDENTITY_KIND_LABELS[identity.kind]}`);
        itemErrors.push(batchItemError(index, 'VALIDATION_FAILED', ['identities', position], text));
      } else {
        identities.push({ kind: identity.kind, value: normalized });
        claim.identities.push({ position, identity: { kind: identity.kind, value: normalized } });
      }
    }
    errors.push(...itemErrors);
    claims.push(claim);
    if (input && itemErrors.length === 0) prepared.push({ index, input: storedInput(input, fields, utcOffsetMinutes), identities });
  });
  if (errors.length > 0) {
    // Items refused already hear of identities that belong to someone else as well, so that one
    // correction fixes every problem; when nothing of the batch is written, the good items do too.
    // Read outside the write, as nothing is written for them; items written are checked again in it.
    const refused = new Set(errors.map((error) => error.index));
    const conflicts = await identityConflicts(context, context.store.db, claims);
    errors.push(...conflicts.filter((conflict) => !options.keepGood || refused.has(conflict.index)));
  }
  // An item's problems together, in the order of its fields, whichever check found them.
  errors.sort((a, b) => a.index - b.index);
  if (!options.keepGood) rejectBatchIfInvalid(errors);
  const batch: CustomerBatch = { context, received: items.length, prepared, errors };
  // Keeping a batch's good items means telling its bad ones apart, which only its own write does.
  if (options.keepGood) return (await writeCustomerGroup([batch], true))[0] as UpsertCustomersResult;
  return writeGrouped(context, CUSTOMER_GROUPS, batch);
}

/** An item as it is written: custom values as stored, `first_seen_at` as the UTC time it names. */
function storedInput(input: CustomerInput, fields: ReadonlyMap<string, CustomFieldDefinition>, utcOffsetMinutes: number): CustomerInput {
  const seenAt = typeof input.first_seen_at === 'string' ? parseWorkspaceTime(input.first_seen_at, utcOffsetMinutes) : undefined;
  if (input.custom === undefined && seenAt === undefined) return input;
  return {
    ...input,
    ...(input.custom === undefined ? {} : { custom: storedCustomValues(input.custom, fields) }),
    ...(seenAt === undefined ? {} : { first_seen_at: toIso(seenAt) }),
  };
}

function storedCustomValues(custom: Record<string, CustomFieldValue>, fields: ReadonlyMap<string, CustomFieldDefinition>): Record<string, CustomFieldValue> {
  return Object.fromEntries(Object.entries(custom).map(([key, value]) => [key, storedCustomValue(fields.get(key), value)]));
}

/**
 * The item schemas of the day (a birthday may be up to tomorrow), made once a day per zone rather
 * than for every batch; each reads `now` from its `clock`, set to the batch's time before the
 * batch is checked (the check is synchronous: no other batch's time can come between).
 */
const itemSchemas = new Map<number, { latest: string; clock: { now: number }; schema: ReturnType<typeof customerInputSchemaAt> }>();

/** The item schema of the day `now` falls in, for workspaces `utcOffsetMinutes` east of UTC, checking as of `now`. */
function customerSchemaAt(now: number, utcOffsetMinutes: number): ReturnType<typeof customerInputSchemaAt> {
  const latest = latestBirthday(now);
  let made = itemSchemas.get(utcOffsetMinutes);
  if (made?.latest !== latest) {
    const clock = { now };
    made = { latest, clock, schema: customerInputSchemaAt(now, utcOffsetMinutes, () => clock.now) };
    itemSchemas.set(utcOffsetMinutes, made);
  }
  made.clock.now = now;
  return made.schema;
}

/** The merchant's id of an item the schema refused, when it has one that is text. */
function idOf(item: unknown): string | undefined {
  const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** A request's validated customers, as written with others in one transaction. */
interface CustomerBatch {
  context: WorkspaceContext;
  received: number;
  prepared: PreparedCustomer[];
  errors: ItemError[];
}

const CUSTOMER_GROUPS: GroupWriter<CustomerBatch, UpsertCustomersResult> = {
  kind: 'customers',
  size: (batch) => batch.prepared.length,
  maxItems: MAX_CUSTOMER_BATCH,
  write: (group) => writeCustomerGroup(group, false),
};

/** Thrown when batches written together claim one identity: each is then written on its own, so that the later one is refused. */
class IdentityClaimedInGroup extends Error {}

async function writeCustomerGroup(group: readonly CustomerBatch[], keepGood: boolean): Promise<UpsertCustomersResult[]> {
  const context = (group[0] as CustomerBatch).context;
  return writeCustomers(context, async (trx, changed) => {
    const prepared = group.flatMap((batch) => batch.prepared);
    const existing = await loadCustomersByExternalId(context, trx, prepared.map((p) => p.input.id));
    const existingKeys = new Set([...existing.values()].map((row) => row.external_id));
    // Per batch, the customers it writes (after a merge, the record it was merged into).
    const keysOf = group.map(() => new Set<string>());
    const batchOf = new Map(group.flatMap((batch, k) => batch.prepared.map((item) => [item, k] as const)));
    let accepted: PreparedCustomer[];
    if (group.length === 1) {
      const errors = (group[0] as CustomerBatch).errors;
      accepted = await rejectIdentityConflicts(context, trx, prepared, existing, errors);
      if (!keepGood) rejectBatchIfInvalid(errors);
    } else {
      const conflicts: ItemError[] = [];
      accepted = await rejectIdentityConflicts(context, trx, prepared, existing, conflicts);
      if (conflicts.length > 0) throw new IdentityClaimedInGroup();
    }
    const now = context.now().getTime();
    const rows = new Map<string, NewCustomerRow>();
    const identitiesByCustomer = new Map<string, Identity[]>();
    const createdBy = group.map(() => 0);
    for (const item of accepted) {
      const target = existing.get(item.input.id);
      const key = target?.external_id ?? item.input.id;
      const base = rows.get(key) ?? (target ? { ...target } : undefined);
      const k = batchOf.get(item) ?? 0;
      if (!base) createdBy[k] = (createdBy[k] ?? 0) + 1;
      keysOf[k]?.add(key);
      rows.set(key, applyCustomerInput(base, item.input, context.workspaceId, now));
      identitiesByCustomer.set(key, [...(identitiesByCustomer.get(key) ?? []), ...item.identities]);
    }
    // A customer who already holds every field and identity sent (a file imported again, an
    // export re-imported) is left as stored: her updated_at stays, and no change is logged for her.
    const storedRows = new Map([...existing.values()].map((row) => [row.external_id, row]));
    const newIdentityKeys = await identitiesNotStored(context, trx, [...identitiesByCustomer].flatMap(([key, list]) => (existingKeys.has(key) ? list : [])));
    const unchangedKeys = new Set(
      [...rows].flatMap(([key, row]) => {
        const stored = storedRows.get(key);
        const identities = identitiesByCustomer.get(key) ?? [];
        return stored && sameStoredFields(stored, row) && !identities.some((identity) => newIdentityKeys.has(identityKey(identity))) ? [key] : [];
      }),
    );
    const ids = await writeCustomerRows(trx, [...rows].flatMap(([key, row]) => (unchangedKeys.has(key) ? [] : [row])));
    for (const key of unchangedKeys) {
      const stored = storedRows.get(key);
      if (stored) ids.set(key, stored.id);
    }
    const createdIds = [...rows.keys()].filter((key) => !existingKeys.has(key)).map((key) => ids.get(key) ?? -1);
    // Unchanged customers too: their rules are evaluated as after any write of those fields.
    const updatedIds = [...rows.keys()].filter((key) => existingKeys.has(key)).map((key) => ids.get(key) ?? -1);
    const identityRows = [...identitiesByCustomer].flatMap(([externalId, list]) =>
      unchangedKeys.has(externalId) ? [] : list.map((identity) => ({ workspace_id: context.workspaceId, kind: identity.kind, value: identity.value, customer_id: ids.get(externalId) ?? -1 })),
    );
    for (const part of chunks(identityRows, rowsPerInsert(4))) {
      await trx.insertInto('identities').values(part).onConflict((oc) => oc.columns(['workspace_id', 'kind', 'value']).doNothing()).execute();
    }
    // An identity added may make the customer reachable: the rules reading has_phone … run too.
    const fields = new Set(
      accepted.flatMap((item) => [
        ...Object.keys(item.input).filter((key) => key !== 'custom' && key !== 'identities'),
        ...Object.keys(item.input.custom ?? {}),
        ...Object.entries(reachabilityValues(item.identities.map((identity) => identity.kind))).flatMap(([field, reachable]) => (reachable ? [field] : [])),
      ]),
    );
    const propagation = await propagateCustomers(context, trx, updatedIds, createdIds, fields);
    for (const [key, id] of ids) if (!unchangedKeys.has(key)) changed.add(id);
    for (const id of propagation.changed) changed.add(id);
    return group.map((batch, k) => {
      const created = createdBy[k] ?? 0;
      const keys = [...(keysOf[k] ?? [])];
      const unchanged = keys.filter((key) => unchangedKeys.has(key)).length;
      return { received: batch.received, created, updated: keys.length - created - unchanged, unchanged, rejected: batch.errors };
    });
  });
}

/**
 * The identities and custom fields of an item the schema refused, those of them that are well
 * formed. Custom values are taken one by one: a text too long for one field (which the schema
 * reports) leaves the others to be checked against their declarations, so that the row hears of
 * a number field's "forty" and an undeclared field beside it at once. Identities are taken one by
 * one too, each at its place in the list (undefined where the schema refused it, an unknown kind
 * say), so that a phone of letters or one that belongs to another customer beside it is told at
 * once as well.
 */
function checkableParts(item: unknown): { identities?: readonly (Identity | undefined)[]; custom?: Record<string, CustomFieldValue> } {
  if (typeof item !== 'object' || item === null) return {};
  const raw = item as Record<string, unknown>;
  const identities = Array.isArray(raw.identities) ? raw.identities.map((entry) => identitySchema.safeParse(entry).data) : undefined;
  return { identities, custom: wellFormedCustomValues(raw.custom) };
}

function wellFormedCustomValues(custom: unknown): Record<string, CustomFieldValue> | undefined {
  if (typeof custom !== 'object' || custom === null || Array.isArray(custom)) return undefined;
  // fromEntries makes each key a property of its own, `__proto__` as much as any.
  return Object.fromEntries(Object.entries(custom).filter(([key, value]) => customerInputSchema.shape.custom.safeParse(Object.fromEntries([[key, value]])).success)) as Record<string, CustomFieldValue>;
}

/** Why a computed field (`random_bucket`) is not written, whether sent beside `id` or under `custom`. */
function readOnlyFieldText(key: ComputedFieldKey): LocalizedText {
  const name = COMPUTED_FIELD_NAMES[key];
  return localized(`"${key}" (${name}) is computed by tagbase for every customer and cannot be written; leave it out.`, `「${key}」（${name}）由系统为每位客户计算，不能写入；请不要发送此项。`);
}

/** The schema's "unknown field" for a computed field sent beside `id`, said as what it is. */
function computedFieldRefusal(error: ItemError): ItemError {
  const key = error.inItem?.length === 1 ? String(error.inItem[0]) : undefined;
  return key !== undefined && isComputedField(key) ? batchItemError(error.index, error.code, [key], readOnlyFieldText(key)) : error;
}

/**
 * Why `custom` does not take a key: a declared field is named by its key there (an integrator
 * writing the name the console shows, 鞋码, is told the key), and a built-in field is no custom
 * field at all (told to send it beside `id`); otherwise the nearest name.
 */
function undeclaredFieldText(key: string, fields: Map<string, CustomFieldDefinition>): LocalizedText {
  const computed = (Object.keys(COMPUTED_FIELD_NAMES) as ComputedFieldKey[]).find((field) => field === key || COMPUTED_FIELD_NAMES[field] === key);
  if (computed) return readOnlyFieldText(computed);
  const named = [...fields.values()].find((field) => field.name === key);
  if (named) return localized(`field "${key}" is not declared: it is the name of the field "${named.key}", and custom takes fields by key.`, `字段「${key}」未定义：这是字段「${named.key}」的名称，custom 中请用字段的键。`);
  if ((BUILTIN_FIELD_KEYS as readonly string[]).includes(key)) return localized(`"${key}" is a built-in field, not a custom one: send it beside "id", not under custom.`, `「${key}」是内置字段而非自定义字段：请与 "id" 并列发送，不要放在 custom 中。`);
  const hint = didYouMean(nearestName(key, [...fields.keys(), ...BUILTIN_FIELD_KEYS]));
  return localized(`field "${key}" is not declared.${hint.en}`, `字段「${key}」未定义。${hint['zh-CN']}`);
}

function checkCustomFields(index: number, custom: Record<string, CustomFieldValue>, fields: Map<string, CustomFieldDefinition>): ItemError[] {
  const problems: ItemError[] = [];
  for (const [key, value] of Object.entries(custom)) {
    const field = fields.get(key);
    if (!field) {
      const text = undeclaredFieldText(key, fields);
      problems.push(batchItemError(index, 'FIELD_NOT_FOUND', ['custom', key], text));
      continue;
    }
    const problem = customFieldProblem(field, value);
    if (problem !== undefined) problems.push(batchItemError(index, problem.code, ['custom', key], problem.text));
  }
  return problems;
}

/** The identities an item claims, at their places in the item, and whose they are to become. */
interface IdentityClaim {
  index: number;
  /** The merchant's id of the item; undefined when it has none readable, so that every owner is another. */
  id: string | undefined;
  identities: { position: number; identity: Identity }[];
}

/** Keeps the items whose identities are free or already theirs; records the others as errors. */
async function rejectIdentityConflicts(context: WorkspaceContext, db: Db, prepared: PreparedCustomer[], existing: Map<string, CustomerRow>, errors: ItemError[]): Promise<PreparedCustomer[]> {
  // Each identity was readable (else the item was not prepared): at the same place as in the input.
  const claims = prepared.map((item) => ({ index: item.index, id: item.input.id, identities: item.identities.map((identity, position) => ({ position, identity })) }));
  const conflicts = await identityConflicts(context, db, claims, existing);
  errors.push(...conflicts);
  const refused = new Set(conflicts.map((conflict) => conflict.index));
  return prepared.filter((item) => !refused.has(item.index));
}

/**
 * Identities claimed by items that belong to another customer: stored as another's, or claimed by
 * an earlier item of the batch for another (an item with a conflict claims nothing).
 * `existing` holds the items' customers when the caller has read them already.
 */
async function identityConflicts(context: WorkspaceContext, db: Db, claims: readonly IdentityClaim[], existing?: Map<string, CustomerRow>): Promise<ItemError[]> {
  const claimed = claims.flatMap((claim) => claim.identities.map(({ identity }) => identity));
  if (claimed.length === 0) return [];
  const owners = await loadIdentityOwners(context, db, claimed);
  const customers = existing ?? (await loadCustomersByExternalId(context, db, claims.flatMap((claim) => (claim.id === undefined ? [] : [claim.id]))));
  const claimedInBatch = new Map<string, string>();
  const errors: ItemError[] = [];
  for (const claim of claims) {
    // After a merge, the record the id was merged into.
    const self = claim.id === undefined ? undefined : (customers.get(claim.id)?.external_id ?? claim.id);
    const conflicts: ItemError[] = [];
    for (const { position, identity } of claim.identities) {
      const id = identityKey(identity);
      const owner = owners.get(id) ?? claimedInBatch.get(id);
      if (owner !== undefined && owner !== self) {
        const text = localized(`${identity.kind} "${identity.value}" already belongs to customer "${owner}"`, `${IDENTITY_KIND_LABELS[identity.kind]}「${identity.value}」已属于客户「${owner}」`);
        conflicts.push(batchItemError(claim.index, 'IDENTITY_CONFLICT', ['identities', position], text));
      }
    }
    errors.push(...conflicts);
    if (conflicts.length > 0 || self === undefined) continue;
    for (const { identity } of claim.identities) claimedInBatch.set(identityKey(identity), self);
  }
  return errors;
}

/**
 * Whether a customer's row as written holds what is stored: every field and custom value, the
 * custom object whatever the order of its keys. The name's search key is left out: one missing
 * from before keys were stored is filled by the scheduler, and is no change of the customer.
 */
function sameStoredFields(stored: NewCustomerRow, next: NewCustomerRow): boolean {
  const fields = ['name', 'type', 'gender', 'birthday', 'city', 'region', 'occupation', 'member_level', 'source_channel', 'first_seen_at', 'merged_into'] as const;
  if (fields.some((field) => stored[field] !== next[field])) return false;
  return stored.custom === next.custom || sameCustomValues(stored.custom, next.custom);
}

function sameCustomValues(stored: string, next: string): boolean {
  const a = JSON.parse(stored) as Record<string, CustomFieldValue>;
  const b = JSON.parse(next) as Record<string, CustomFieldValue>;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && JSON.stringify(a[key]) === JSON.stringify(b[key]));
}

/** Of identities sent for stored customers, those no customer holds yet (by `identityKey`): the others are already theirs. */
async function identitiesNotStored(context: WorkspaceContext, db: Db, identities: Identity[]): Promise<Set<string>> {
  if (identities.length === 0) return new Set();
  const owners = await loadIdentityOwners(context, db, identities);
  return new Set(identities.map(identityKey).filter((key) => !owners.has(key)));
}

function identityKey(identity: Identity): string {
  return `${identity.kind}\u0000${identity.value}`;
}

/** identity → external id of the customer holding it. */
async function loadIdentityOwners(context: WorkspaceContext, db: Db, identities: Identity[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  const wanted = new Set(identities.map(identityKey));
  const values = [...new Set(identities.map((identity) => identity.value))];
  for (const part of chunks(values, IDS_PER_QUERY)) {
    const rows = await db
      .selectFrom('identities')
      .innerJoin('customers', 'customers.id', 'identities.customer_id')
      .select(['identities.kind', 'identities.value', 'customers.external_id'])
      .where('identities.workspace_id', '=', context.workspaceId)
      .where('identities.value', 'in', part)
      .execute();
    for (const row of rows) {
      const key = identityKey({ kind: row.kind as IdentityKind, value: row.value });
      if (wanted.has(key)) owners.set(key, row.external_id);
    }
  }
  return owners;
}

/** Customers by the merchant's id; a merged id maps to the customer it was merged into. */
export async function loadCustomersByExternalId(context: WorkspaceContext, db: Db, externalIds: readonly string[]): Promise<Map<string, CustomerRow>> {
  const found = new Map<string, CustomerRow>();
  const redirects = new Map<string, number>();
  for (const part of chunks([...new Set(externalIds)], IDS_PER_QUERY)) {
    const rows = await db.selectFrom('customers').selectAll().where('workspace_id', '=', context.workspaceId).where('external_id', 'in', part).execute();
    for (const row of rows) {
      if (row.merged_into === null) found.set(row.external_id, row);
      else redirects.set(row.external_id, row.merged_into);
    }
  }
  if (redirects.size > 0) {
    const survivors = await loadCustomersById(db, [...new Set(redirects.values())]);
    for (const [externalId, survivorId] of redirects) {
      const survivor = survivors.get(survivorId);
      if (survivor) found.set(externalId, survivor);
    }
  }
  return found;
}

/** Rows by internal id, following merge chains to the live customer. */
export async function loadCustomersById(db: Db, ids: readonly number[]): Promise<Map<number, CustomerRow>> {
  const found = new Map<number, CustomerRow>();
  for (const part of chunks([...new Set(ids)], IDS_PER_QUERY)) {
    const rows = await db.selectFrom('customers').selectAll().where('id', 'in', part).execute();
    for (const row of rows) found.set(row.id, row);
  }
  const pending = [...found.values()].filter((row) => row.merged_into !== null);
  if (pending.length > 0) {
    const next = await loadCustomersById(db, pending.map((row) => row.merged_into ?? row.id));
    for (const row of pending) {
      const survivor = next.get(row.merged_into ?? row.id);
      if (survivor) found.set(row.id, survivor);
    }
  }
  return found;
}

/** Internal ids of the given merchant ids; unknown ids are absent from the map. */
export async function resolveCustomerIds(context: WorkspaceContext, externalIds: readonly string[], db: Db = context.store.db): Promise<Map<string, number>> {
  const rows = await loadCustomersByExternalId(context, db, externalIds);
  return new Map([...rows].map(([externalId, row]) => [externalId, row.id]));
}

/**
 * Like resolveCustomerIds, but every id must exist: the error names the missing ones, and lists
 * each in `errors[]` with its place in the list, so that a client sending thousands of ids
 * learns every one to fix, not five examples.
 */
export async function requireCustomerIds(context: WorkspaceContext, externalIds: readonly string[], db: Db = context.store.db): Promise<Map<string, number>> {
  const ids = await resolveCustomerIds(context, externalIds, db);
  const missing = [...new Set(externalIds)].filter((id) => !ids.has(id));
  if (missing.length === 0) return ids;
  const items: ItemError[] = [];
  externalIds.forEach((id, index) => {
    if (ids.has(id)) return;
    const message = localized(formatErrorMessage('CUSTOMER_NOT_FOUND', { customer: id }), formatErrorMessage('CUSTOMER_NOT_FOUND', { customer: id }, 'zh-CN'));
    // The entry itself: a route whose body holds the list points at it (`#/customers/3`).
    items.push({ index, code: 'CUSTOMER_NOT_FOUND', path: 'customers', inItem: [], message: message.en, localized: message });
  });
  if (missing.length === 1) throw new TagbaseError('CUSTOMER_NOT_FOUND', { customer: missing[0] }, items);
  const examples = missing.slice(0, 5);
  throw new TagbaseError('CUSTOMERS_NOT_FOUND', { count: missing.length, examples: localized(examples.map((id) => `"${id}"`).join(', '), examples.map((id) => `「${id}」`).join('、')) }, items);
}

export async function requireCustomer(context: WorkspaceContext, externalId: string, db: Db = context.store.db): Promise<CustomerRow> {
  const row = (await loadCustomersByExternalId(context, db, [externalId])).get(externalId);
  if (!row) throw new TagbaseError('CUSTOMER_NOT_FOUND', { customer: externalId });
  return row;
}

function applyCustomerInput(base: NewCustomerRow | undefined, input: CustomerInput, workspaceId: number, now: number): NewCustomerRow {
  const row: NewCustomerRow = base ?? {
    workspace_id: workspaceId,
    external_id: input.id,
    name: null,
    name_search: null,
    type: null,
    gender: null,
    birthday: null,
    city: null,
    region: null,
    occupation: null,
    member_level: null,
    source_channel: null,
    first_seen_at: now,
    custom: '{}',
    merged_into: null,
    created_at: now,
    updated_at: now,
  };
  const next = { ...row, updated_at: now };
  const text = ['name', 'type', 'gender', 'birthday', 'city', 'region', 'occupation', 'member_level', 'source_channel'] as const;
  for (const key of text) {
    const value = input[key];
    if (value !== undefined) next[key] = value;
  }
  // The key follows the name; a name kept from before keys were stored gets its key when written.
  if (next.name !== row.name || (next.name !== null && next.name_search === null)) next.name_search = nameSearchKey(next.name);
  if (input.first_seen_at !== undefined) next.first_seen_at = input.first_seen_at === null ? null : (parseTimestamp(input.first_seen_at) ?? null);
  if (input.custom !== undefined) {
    const custom = { ...(JSON.parse(next.custom) as Record<string, CustomFieldValue>) };
    for (const [key, value] of Object.entries(input.custom)) {
      if (value === null) delete custom[key];
      else custom[key] = value;
    }
    next.custom = JSON.stringify(custom);
  }
  return next;
}

/** Inserts or updates full rows; returns external id → internal id. */
export async function writeCustomerRows(db: Db, rows: NewCustomerRow[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  // Rows of customers already stored carry their id as well: the widest row sizes the statements.
  const columns = rows.reduce((widest, row) => Math.max(widest, Object.keys(row).length), 0);
  for (const part of chunks(rows, rowsPerInsert(columns))) {
    const written = await db
      .insertInto('customers')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'external_id']).doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          name_search: eb.ref('excluded.name_search'),
          type: eb.ref('excluded.type'),
          gender: eb.ref('excluded.gender'),
          birthday: eb.ref('excluded.birthday'),
          city: eb.ref('excluded.city'),
          region: eb.ref('excluded.region'),
          occupation: eb.ref('excluded.occupation'),
          member_level: eb.ref('excluded.member_level'),
          source_channel: eb.ref('excluded.source_channel'),
          first_seen_at: eb.ref('excluded.first_seen_at'),
          custom: eb.ref('excluded.custom'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returning(['id', 'external_id'])
      .execute();
    for (const row of written) ids.set(row.external_id, row.id);
  }
  return ids;
}

/** Creates the customers an event batch names but the store does not know yet. */
export async function ensureCustomers(
  context: WorkspaceContext,
  db: Db,
  firstSeen: Map<string, number>,
): Promise<{ ids: Map<string, number>; created: Set<number>; /** The rows of live customers that existed, as now written. */ rows: Map<number, CustomerRow> }> {
  const rows = await loadCustomersByExternalId(context, db, [...firstSeen.keys()]);
  const known = new Map<string, number>();
  // Several ids may lead to one customer (a merged record's and the record it was merged into),
  // each read as a row of its own: one row per customer, and the earliest time among all its ids.
  const byId = new Map<number, CustomerRow>();
  const earliest = new Map<number, number>();
  for (const [externalId, row] of rows) {
    known.set(externalId, row.id);
    if (!byId.has(row.id)) byId.set(row.id, row);
    const seenAt = firstSeen.get(externalId);
    if (seenAt !== undefined && seenAt < (earliest.get(row.id) ?? Infinity)) earliest.set(row.id, seenAt);
  }
  for (const [id, seenAt] of earliest) {
    const row = byId.get(id);
    // An event older than anything seen so far moves the customer's first-seen time back.
    if (row === undefined || (row.first_seen_at !== null && seenAt >= row.first_seen_at)) continue;
    row.first_seen_at = seenAt;
    await db.updateTable('customers').set({ first_seen_at: seenAt }).where('id', '=', id).execute();
  }
  const live = new Map([...byId].filter(([, row]) => row.merged_into === null));
  const now = context.now().getTime();
  const missing = [...firstSeen].filter(([externalId]) => !known.has(externalId));
  const createdIds = await writeCustomerRows(
    db,
    missing.map(([externalId, seenAt]) => ({ ...applyCustomerInput(undefined, { id: externalId }, context.workspaceId, now), first_seen_at: seenAt })),
  );
  for (const [externalId, id] of createdIds) known.set(externalId, id);
  return { ids: known, created: new Set(createdIds.values()), rows: live };
}

// ---------------------------------------------------------------- reading

export interface CustomerJson {
  id: string;
  name: string | null;
  type: string | null;
  gender: string | null;
  birthday: string | null;
  city: string | null;
  region: string | null;
  occupation: string | null;
  member_level: string | null;
  source_channel: string | null;
  first_seen_at: string | null;
  /** 0-99, computed from the customer (src/core/random-bucket.ts). */
  random_bucket: number;
  /** Whether the customer holds an identity of the channel's kinds (REACHABILITY_KINDS). */
  has_phone: boolean;
  has_email: boolean;
  has_wechat: boolean;
  has_member_card: boolean;
  custom: Record<string, CustomFieldValue>;
  identities: Identity[];
  created_at: string;
  updated_at: string;
}

/** An identity's value as `view` shows it: whole, or masked for those who may not see it whole. */
export function identityValueAsSeen(identity: Identity, view: PersonalDataView = 'full'): string {
  return view === 'full' ? identity.value : maskIdentity(identity.kind, identity.value);
}

export function customerToJson(row: CustomerRow, identities: Identity[], view: PersonalDataView = 'full'): CustomerJson {
  return {
    id: row.external_id,
    name: row.name,
    type: row.type,
    gender: row.gender,
    birthday: row.birthday,
    city: row.city,
    region: row.region,
    occupation: row.occupation,
    member_level: row.member_level,
    source_channel: row.source_channel,
    first_seen_at: toIsoOrNull(row.first_seen_at),
    random_bucket: randomBucket(row.id),
    ...reachabilityValues(identities.map((identity) => identity.kind)),
    custom: JSON.parse(row.custom) as Record<string, CustomFieldValue>,
    identities: view === 'full' ? identities : identities.map((identity) => ({ kind: identity.kind, value: identityValueAsSeen(identity, view) })),
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

export async function loadIdentities(db: Db, customerIds: readonly number[]): Promise<Map<number, Identity[]>> {
  const byCustomer = new Map<number, Identity[]>();
  for (const part of chunks([...customerIds], IDS_PER_QUERY)) {
    const rows = await db.selectFrom('identities').select(['customer_id', 'kind', 'value']).where('customer_id', 'in', part).orderBy('kind').orderBy('value').execute();
    for (const row of rows) {
      const list = byCustomer.get(row.customer_id) ?? [];
      list.push({ kind: row.kind as IdentityKind, value: row.value });
      byCustomer.set(row.customer_id, list);
    }
  }
  return byCustomer;
}

export async function findCustomerByIdentity(context: WorkspaceContext, kind: IdentityKind, rawValue: string): Promise<CustomerJson> {
  const value = normalizeIdentity(kind, rawValue);
  // A value that cannot be one of its kind (a phone of letters) is a mistake in the request, not a customer missing.
  if (value === undefined) throw fieldError('query', 'value', localized(`"${rawValue}" is not a valid ${kind}`, `「${rawValue}」不是有效的${IDENTITY_KIND_LABELS[kind]}`));
  const row = await context.store.db
    .selectFrom('identities')
    .innerJoin('customers', 'customers.id', 'identities.customer_id')
    .selectAll('customers')
    .where('identities.workspace_id', '=', context.workspaceId)
    .where('identities.kind', '=', kind)
    .where('identities.value', '=', value)
    .executeTakeFirst();
  if (!row) throw new TagbaseError('CUSTOMER_NOT_FOUND', { customer: `${kind}:${rawValue}` });
  const identities = await loadIdentities(context.store.db, [row.id]);
  return customerToJson(row, identities.get(row.id) ?? [], context.personalData);
}

/**
 * The longest search (`q`, `tagbase customer find`): longer than any name, merchant id or identity,
 * so that longer text finds no one, and well within SQLite's limit on a LIKE pattern (50,000 bytes).
 */
export const MAX_SEARCH_LENGTH = 256;

export interface CustomerPage {
  total: number;
  items: CustomerJson[];
  /** Continues after this page's last row (`cursor=`); null when there is no row after it. */
  next_cursor: string | null;
}

export interface CustomerListOptions {
  q?: string | undefined;
  limit: number;
  /** Rows to skip: from the start, or from the cursor when one is given. */
  offset: number;
  /** A `next_cursor` of an earlier page: the page starts after that page's last row. */
  cursor?: string | undefined;
}

/**
 * A page of live customers in id order, optionally searched by name, merchant id or any
 * identity. Without a search, the ids and the total come from `live` (the bitmap index in the
 * server) when given: counting and skipping a million rows in SQL took ~0.2–0.35 s a page.
 */
export async function listCustomers(context: WorkspaceContext, options: CustomerListOptions, live?: Pick<Audience, 'livePage' | 'nameMatches'>): Promise<CustomerPage> {
  const { db } = context.store;
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  const q = options.q?.trim();
  let total: number;
  let ids: number[];
  let more: boolean;
  if (q) {
    // Every match's id gives both the total and the page, where a count and a page query read twice.
    const matches = live?.nameMatches ? await searchWithIndex(context, q, live.nameMatches) : await searchCustomerRowIds(context, q);
    const start = (after === undefined ? 0 : firstAfter(matches, after)) + options.offset;
    total = matches.length;
    ids = matches.slice(start, start + options.limit);
    more = start + options.limit < matches.length;
  } else if (live) {
    const page = await live.livePage(context, { after, offset: options.offset, limit: options.limit });
    total = page.total;
    ids = page.ids;
    const last = ids.at(-1);
    more = last !== undefined && ids.length === options.limit && (await live.livePage(context, { after: last, offset: 0, limit: 1 })).ids.length > 0;
  } else {
    let query = db.selectFrom('customers').where('workspace_id', '=', context.workspaceId).where('merged_into', 'is', null);
    total = Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    // Keyset: the id index finds the cursor's place, where an offset would step over every row before it.
    if (after !== undefined) query = query.where('id', '>', after);
    const rows = await query.select('id').orderBy('id').limit(options.limit + 1).offset(options.offset).execute();
    ids = rows.slice(0, options.limit).map((row) => row.id);
    more = rows.length > options.limit;
  }
  const found = ids.length === 0 ? [] : await db.selectFrom('customers').selectAll().where('id', 'in', ids).where('merged_into', 'is', null).execute();
  const byId = new Map(found.map((row) => [row.id, row]));
  const rows = ids.flatMap((id) => byId.get(id) ?? []);
  const identities = await loadIdentities(db, ids);
  const last = ids.at(-1);
  return { total, items: rows.map((row) => customerToJson(row, identities.get(row.id) ?? [], context.personalData)), next_cursor: more && last !== undefined ? encodeCursor(last) : null };
}

/**
 * The merchant ids of every customer a search finds (`listCustomers`' `q`), in the order they were
 * created: with names matched by `live`'s index when it has one (the segment preview's `q` in the
 * server), as `listCustomers` finds them, otherwise by the store alone.
 */
export async function searchCustomerIds(context: WorkspaceContext, q: string, live?: Pick<Audience, 'nameMatches'>): Promise<string[]> {
  const trimmed = q.trim();
  if (!live?.nameMatches) return (await searchQuery(context, trimmed).select('external_id').orderBy('id').execute()).map((row) => row.external_id);
  const ids = await searchWithIndex(context, trimmed, live.nameMatches);
  const externalIds = new Map<number, string>();
  for (const part of chunks(ids, IDS_PER_QUERY)) {
    const rows = await context.store.db.selectFrom('customers').select(['id', 'external_id']).where('workspace_id', '=', context.workspaceId).where('id', 'in', part).where('merged_into', 'is', null).execute();
    for (const row of rows) externalIds.set(row.id, row.external_id);
  }
  return ids.flatMap((id) => externalIds.get(id) ?? []);
}

/** The internal ids of every live customer a search finds (`listCustomers`' `q`), in the order they were created. */
export async function searchCustomerRowIds(context: WorkspaceContext, q: string): Promise<number[]> {
  return (await searchQuery(context, q.trim()).select('id').orderBy('id').execute()).map((row) => row.id);
}

/**
 * `searchCustomerRowIds` with the names matched by the index (`Audience.nameMatches`), which reads
 * every distinct name once in memory, where the store scans every customer's key (0.3–0.5 s at a
 * million customers); the ids and identities are looked up in the store by their indexes. While
 * some name has no key yet (a store upgraded moments ago) the store answers it all, as it
 * reads such a name as it is stored.
 */
async function searchWithIndex(context: WorkspaceContext, q: string, nameMatches: NonNullable<Audience['nameMatches']>): Promise<number[]> {
  const unkeyed = await context.store.db
    .selectFrom('customers')
    .select('id')
    .where('workspace_id', '=', context.workspaceId)
    .where('name', 'is not', null)
    .where('name_search', 'is', null)
    // In id order, as the rounds that key them read them: so both stores read the partial index of
    // exactly these (customers_name_search_due_idx), where SQLite otherwise walked every name.
    .orderBy('id')
    .limit(1)
    .execute();
  if (unkeyed.length > 0) return searchCustomerRowIds(context, q);
  const [named, other] = await Promise.all([nameMatches(context, q), exactMatchIds(context, q)]);
  return mergeAscending(named, other);
}

/**
 * The live customers `exactMatches` finds, ascending: each lookup on its own through its index,
 * then the few ids found checked, where one statement with the lookups as alternatives had both
 * stores scan the workspace's customers.
 */
async function exactMatchIds(context: WorkspaceContext, q: string): Promise<number[]> {
  const { db } = context.store;
  const typed = typedForms(q);
  const found = await db
    .selectFrom('customers')
    .select('id')
    .where('workspace_id', '=', context.workspaceId)
    .where('external_id', 'in', typed)
    .union(db.selectFrom('customers').select('merged_into as id').where('workspace_id', '=', context.workspaceId).where('external_id', 'in', typed).where('merged_into', 'is not', null).$narrowType<{ id: NotNull }>())
    .union(db.selectFrom('identities').select('customer_id as id').where('workspace_id', '=', context.workspaceId).where('kind', 'in', IDENTITY_KINDS).where('value', 'in', identityValuesOf(q)))
    .execute();
  const ids = found.map((row) => row.id);
  if (ids.length === 0) return [];
  const live = await db.selectFrom('customers').select('id').where('workspace_id', '=', context.workspaceId).where('merged_into', 'is', null).where('id', 'in', ids).orderBy('id').execute();
  return live.map((row) => row.id);
}

/** The ids in both ascending lists, ascending, each once. */
function mergeAscending(first: ArrayLike<number>, second: readonly number[]): number[] {
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < first.length || j < second.length) {
    const a = i < first.length ? (first[i] as number) : Infinity;
    const b = j < second.length ? (second[j] as number) : Infinity;
    const next = Math.min(a, b);
    if (a === next) i++;
    if (b === next) j++;
    merged.push(next);
  }
  return merged;
}

/**
 * Live customers whose name holds `q` (both folded for width and case, through the stored key),
 * whose name's pinyin `q` spells (src/core/name-search.ts), whose merchant id is `q` (or that of a
 * record merged into them), or who have an identity of value `q`. One scan of the customers, whatever `q` is.
 */
function searchQuery(context: WorkspaceContext, q: string) {
  const typed = typedForms(q);
  return context.store.db
    .selectFrom('customers')
    .where('workspace_id', '=', context.workspaceId)
    .where('merged_into', 'is', null)
    .where((eb) =>
      eb.or([
        // A name without a key yet (a store upgraded moments ago) is read as it is stored.
        eb.and([eb('name_search', 'is', null), eb.or(typed.map((text) => nameContains(context, text)))]),
        ...nameSearchPatterns(q).map((pattern) => sql<boolean>`name_search like ${pattern} escape '\\'`),
        ...exactMatches(eb, context, q),
      ]),
    );
}

/**
 * What a search finds other than by name: the merchant id `q` (or that of a record merged into
 * the customer), or an identity of value `q`; each through its index.
 */
function exactMatches(eb: ExpressionBuilder<Database, 'customers'>, context: WorkspaceContext, q: string): Expression<SqlBool>[] {
  const typed = typedForms(q);
  const identityValues = identityValuesOf(q);
  return [
    eb('external_id', 'in', typed),
    // The id of a record merged into this one keeps finding it, as it keeps resolving to it.
    eb('id', 'in', eb.selectFrom('customers as merged').select('merged.merged_into').where('merged.workspace_id', '=', context.workspaceId).where('merged.external_id', 'in', typed).where('merged.merged_into', 'is not', null)),
    // Every kind named, so that the lookup is one of the identities' key (workspace, kind, value).
    eb('id', 'in', eb.selectFrom('identities').select('customer_id').where('workspace_id', '=', context.workspaceId).where('kind', 'in', IDENTITY_KINDS).where('value', 'in', identityValues)),
  ];
}

/** The identity values a search finds: as typed, in lower case, and as a phone number or an email is stored. */
function identityValuesOf(q: string): string[] {
  const typed = typedForms(q);
  return [...new Set([...typed, ...typed.map((text) => text.toLowerCase()), normalizeIdentity('phone', q), normalizeIdentity('email', q)])].filter((v): v is string => v !== undefined);
}

/**
 * A search as typed, and with full-width letters and digits as plain ones: a Chinese input
 * method in full-width mode types ＣＯ１２ for CO12.
 */
function typedForms(q: string): string[] {
  return [...new Set([q, q.normalize('NFKC')])];
}

const ASCII_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ASCII_LOWER = 'abcdefghijklmnopqrstuvwxyz';

/**
 * A name holding `q` as it is typed, `%` and `_` included, with letters A–Z matching either
 * case on both stores: SQLite's LIKE folds those (and no others), PostgreSQL's folds none, so
 * there both sides are folded the same way first.
 */
function nameContains(context: WorkspaceContext, q: string) {
  const pattern = `%${q.replace(/[%_\\]/g, (char) => `\\${char}`)}%`;
  return context.store.dialect === 'postgres'
    ? sql<boolean>`translate(name, ${ASCII_UPPER}, ${ASCII_LOWER}) like ${pattern.replace(/[A-Z]/g, (char) => char.toLowerCase())} escape '\\'`
    : sql<boolean>`name like ${pattern} escape '\\'`;
}

/** Position of the first id greater than `after` in ascending `ids`. */
function firstAfter(ids: readonly number[], after: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] as number) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Cursors are opaque to clients: today the internal id of the last row, tomorrow perhaps more.
function encodeCursor(id: number): string {
  return Buffer.from(`c1:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^c1:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1]) throw cursorRefused(localized('not a cursor this list handed out', '不是本列表给出的游标'));
  return Number(match[1]);
}
