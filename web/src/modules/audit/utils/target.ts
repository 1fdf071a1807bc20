// What an audit entry's target path names, for people: "客户 C1" rather than /customers/C1/tags.
import type { MessageKey } from '../../app/utils/messages';

export interface AuditTargetName {
  /** What kind of thing, as a message key. */
  kind: MessageKey;
  /** Its key or id, as the path writes it. */
  name: string;
  /** Where the console shows it, when it has a page of its own. */
  href?: string;
}

/** The collections whose paths name one thing, and what each thing is called. */
const KINDS: Readonly<Record<string, MessageKey>> = {
  customers: 'audit.kind.customers',
  segments: 'audit.kind.segments',
  tags: 'audit.kind.tags',
  'tag-groups': 'audit.kind.tagGroups',
  models: 'audit.kind.models',
  metrics: 'audit.kind.metrics',
  webhooks: 'audit.kind.webhooks',
  fields: 'audit.kind.fields',
  workspaces: 'audit.kind.workspaces',
};

/** The thing a target path names, or undefined for a path that names none (`/customers`, a command's own words). */
export function auditTargetName(target: string): AuditTargetName | undefined {
  const [, collection, encoded] = target.split('/');
  if (collection === 'care' && target.startsWith('/care/plans/')) return named('audit.kind.carePlans', target.split('/')[3]);
  const kind = collection === undefined ? undefined : KINDS[collection];
  if (!kind || encoded === undefined || encoded === '' || !target.startsWith('/')) return undefined;
  const name = decode(encoded);
  // An erased customer's entries keep no id, and have no page to go to.
  if (collection === 'customers' && name === '(erased)') return { kind: 'audit.kind.erasedCustomer', name: '' };
  if (collection === 'customers') return { kind, name, href: `/customers/${encodeURIComponent(name)}` };
  return { kind, name };
}

function named(kind: MessageKey, encoded: string | undefined): AuditTargetName | undefined {
  return encoded ? { kind, name: decode(encoded) } : undefined;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
