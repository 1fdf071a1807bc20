// What an audit entry's target names, for people: "客户 C1" rather than /customers/C1/tags, read
// against the action's declared path (`POST /tags/:tag/values`), so that a segment's export
// (/segments/export) is not read as a segment called "export"; the command line's own targets
// ("ops (operator, 30d)" for a token) by the command that wrote them.

/** The kinds of thing a target names, each a message of the console (without importing its table, so that tests can read this file alone). */
export type AuditKind =
  | 'audit.kind.customers'
  | 'audit.kind.erasedCustomer'
  | 'audit.kind.allCustomers'
  | 'audit.kind.segments'
  | 'audit.kind.snapshots'
  | 'audit.kind.expression'
  | 'audit.kind.tags'
  | 'audit.kind.tagValues'
  | 'audit.kind.tagGroups'
  | 'audit.kind.taggingOperations'
  | 'audit.kind.templates'
  | 'audit.kind.models'
  | 'audit.kind.metrics'
  | 'audit.kind.webhooks'
  | 'audit.kind.fields'
  | 'audit.kind.workspaces'
  | 'audit.kind.thisWorkspace'
  | 'audit.kind.demo'
  | 'audit.kind.carePlans'
  | 'audit.kind.careReminders'
  | 'audit.kind.care'
  | 'audit.kind.eventBatches'
  | 'audit.kind.imports'
  | 'audit.kind.tokens';

/** What an import imported, in the words of the import page. */
const IMPORTED: Readonly<Record<string, 'imports.customers' | 'imports.events' | 'imports.assignments'>> = { customers: 'imports.customers', events: 'imports.events', assignments: 'imports.assignments' };

export interface AuditTargetName {
  /** What kind of thing, as a message key. */
  kind: AuditKind;
  /** Its key or id, as the path writes it; empty for a kind of thing rather than one. */
  name: string;
  /** Its name in words, as a message key, for a thing named by the console rather than by the data. */
  nameKey?: (typeof IMPORTED)[string];
  /** Where the console shows it, when it has a page of its own. */
  href?: string;
  /** What else the target says: the value of a tag, the tag of a customer, a token's role. */
  detail?: string;
  /** A token made, as its detail says it (`operator, 30d, shop-hz`): shown in the console's words rather than the command line's. */
  token?: TokenTerms;
}

/** A token's role, the days it lasts and the workspaces it is limited to, as its entry wrote them. */
export interface TokenTerms {
  role: string;
  days?: number;
  workspaces?: string[];
}

/**
 * Reads a token's detail (`operator`, `operator, 30d`, `operator, 30d, shop-hz shop-sh`,
 * `viewer, shop-hz`): the days are written before the workspaces, whose keys are joined by spaces.
 */
export function tokenTerms(detail: string): TokenTerms {
  const [role = '', ...rest] = detail.split(', ');
  const days = rest.length === 2 || (rest.length === 1 && /^\d+d$/.test(rest[0] ?? '')) ? rest.shift() : undefined;
  const workspaces = rest[0]?.split(' ').filter((key) => key !== '');
  return { role, ...(days === undefined ? {} : { days: Number(days.slice(0, -1)) }), ...(workspaces === undefined ? {} : { workspaces }) };
}

/** The parameters of the declared paths, each the thing it names. */
const PARAMS: Readonly<Record<string, AuditKind>> = {
  id: 'audit.kind.customers',
  tag: 'audit.kind.tags',
  value: 'audit.kind.tagValues',
  segment: 'audit.kind.segments',
  snapshot: 'audit.kind.snapshots',
  group: 'audit.kind.tagGroups',
  model: 'audit.kind.models',
  webhook: 'audit.kind.webhooks',
  plan: 'audit.kind.carePlans',
  reminder: 'audit.kind.careReminders',
  batch: 'audit.kind.eventBatches',
  operation: 'audit.kind.taggingOperations',
  template: 'audit.kind.templates',
  kind: 'audit.kind.imports',
  name: 'audit.kind.tokens',
};

/** The collections whose paths name one thing (a create's target, an entry of a command), and what each thing is called. */
const KINDS: Readonly<Record<string, AuditKind>> = {
  customers: 'audit.kind.customers',
  segments: 'audit.kind.segments',
  tags: 'audit.kind.tags',
  values: 'audit.kind.tagValues',
  'tag-groups': 'audit.kind.tagGroups',
  models: 'audit.kind.models',
  metrics: 'audit.kind.metrics',
  webhooks: 'audit.kind.webhooks',
  fields: 'audit.kind.fields',
  workspaces: 'audit.kind.workspaces',
  plans: 'audit.kind.carePlans',
  tokens: 'audit.kind.tokens',
};

/** Paths that name no one thing, by what they act on. */
const AREAS: Readonly<Record<string, AuditKind>> = {
  '/customers': 'audit.kind.allCustomers',
  '/customers/lookup': 'audit.kind.allCustomers',
  '/segments/tag': 'audit.kind.expression',
  '/segments/export': 'audit.kind.expression',
  '/segments/preview': 'audit.kind.expression',
  '/care/run': 'audit.kind.care',
  '/care/reminders': 'audit.kind.careReminders',
  '/workspace': 'audit.kind.thisWorkspace',
  '/demo': 'audit.kind.demo',
};

const ERASED = '/customers/(erased)';

/** The thing an entry's target names, or undefined for a target that names none the console knows. */
export function auditTargetName(action: string, target: string): AuditTargetName | undefined {
  if (target === ERASED) return { kind: 'audit.kind.erasedCustomer', name: '' };
  const command = fromCommand(action, target);
  if (command) return command;
  if (!target.startsWith('/')) return undefined;
  const area = AREAS[target];
  if (area) return { kind: area, name: '' };
  const path = split(target);
  const declared = action.includes(' /') ? split(action.slice(action.indexOf(' ') + 1)) : undefined;
  if (declared) {
    const params = matched(declared, path);
    if (params) return fromParams(params);
    // What a create made: the collection posted to, and the key or id the answer gave.
    const made = path.length === declared.length + 1 ? matched(declared, path.slice(0, -1)) : undefined;
    const collection = declared[declared.length - 1];
    const kind = collection === undefined ? undefined : KINDS[collection];
    const within = made && made.size > 0 ? fromParams(made) : undefined;
    if (made && within) return { ...within, detail: [within.detail, lastOf(path)].filter(Boolean).join(' · ') };
    if (made && kind) return single(kind, lastOf(path));
  }
  // An entry of an action the console does not know the path of: its collection and the first key.
  const [collection, key] = path;
  const kind = collection === undefined ? undefined : KINDS[collection];
  return kind && key ? single(kind, key) : undefined;
}

/** The command line's targets: a token's name and role, a workspace's key, a webhook's number and address. */
function fromCommand(action: string, target: string): AuditTargetName | undefined {
  if (action === 'token create' || action === 'token revoke') {
    const open = target.indexOf(' (');
    // `ops (operator, 30d, demo)`: the role, the days it lasts and the workspaces it is limited to, as detail.
    if (open === -1) return { kind: 'audit.kind.tokens', name: target };
    const detail = target.slice(open + 2).replace(/\)$/, '');
    return { kind: 'audit.kind.tokens', name: target.slice(0, open), detail, token: tokenTerms(detail) };
  }
  if (action === 'workspace update' || action === 'demo') return { kind: 'audit.kind.workspaces', name: target };
  if (action.startsWith('webhook ') && target.startsWith('#')) {
    const space = target.indexOf(' ');
    return space === -1 ? { kind: 'audit.kind.webhooks', name: target } : { kind: 'audit.kind.webhooks', name: target.slice(0, space), detail: target.slice(space + 1) };
  }
  return undefined;
}

/** The most telling thing a path's parameters name: the customer, else the first named; the rest as detail. */
function fromParams(params: ReadonlyMap<string, string>): AuditTargetName | undefined {
  const entries = [...params.entries()];
  const customer = params.get('id');
  const [first, ...rest] = customer === undefined ? entries : [['id', customer] as const, ...entries.filter(([name]) => name !== 'id')];
  if (!first) return undefined;
  // An import by what it imported (客户, 行为事件), in words the import page uses.
  const imported = IMPORTED[first[1]];
  if (first[0] === 'kind' && imported) return { kind: 'audit.kind.imports', name: '', nameKey: imported };
  const kind = PARAMS[first[0]];
  if (!kind) return undefined;
  const named = single(kind, first[1]);
  const detail = rest.map(([, value]) => value).join(' · ');
  return detail ? { ...named, detail } : named;
}

function single(kind: AuditKind, name: string): AuditTargetName {
  return kind === 'audit.kind.customers' ? { kind, name, href: `/customers/${encodeURIComponent(name)}` } : { kind, name };
}

/** The parameters of `path` by the declared path's names, or undefined when it is not a path of it. */
function matched(declared: readonly string[], path: readonly string[]): Map<string, string> | undefined {
  if (declared.length !== path.length) return undefined;
  const params = new Map<string, string>();
  for (const [index, part] of declared.entries()) {
    const actual = path[index] ?? '';
    if (part.startsWith(':')) params.set(part.slice(1), actual);
    else if (part !== actual) return undefined;
  }
  return params;
}

function split(path: string): string[] {
  return path.split('?')[0]?.split('/').filter(Boolean).map(decode) ?? [];
}

function lastOf(path: readonly string[]): string {
  return path[path.length - 1] ?? '';
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** What the workspace calls its things today, by kind and key: a tag's name, a workspace's, and its values' names by the tag's key. */
export interface AuditNames {
  things: ReadonlyMap<AuditKind, ReadonlyMap<string, string>>;
  tagValues: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/**
 * The target by the names the workspace gives its things (标签 审计探针 rather than audit_probe, a
 * tag's value by its name, 工作空间 空白店 rather than empty); a thing it no longer has (deleted
 * since) keeps the key the entry recorded.
 */
export function namedTarget(target: AuditTargetName, names: AuditNames): AuditTargetName {
  const name = names.things.get(target.kind)?.get(target.name);
  const value = target.kind === 'audit.kind.tags' && target.detail !== undefined ? names.tagValues.get(target.name)?.get(target.detail) : undefined;
  return { ...target, ...(name === undefined ? {} : { name }), ...(value === undefined ? {} : { detail: value }) };
}

const DEFINITION_MARK = '?definition=';

/**
 * The definition a deleted tag's entry keeps after its path (`/tags/trial?definition={…}`), laid
 * out to be read, a field a line; undefined for any other target, or one whose text is not JSON.
 */
export function keptDefinition(target: string): string | undefined {
  const at = target.indexOf(DEFINITION_MARK);
  if (!target.startsWith('/tags/') || at === -1) return undefined;
  try {
    return JSON.stringify(JSON.parse(target.slice(at + DEFINITION_MARK.length)), null, 2);
  } catch {
    return undefined;
  }
}
