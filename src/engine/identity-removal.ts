// Taking one identity away from a customer: an old phone number, a cancelled member card, an
// e-mail address the customer asked to be forgotten. The customer stops being reachable by it
// (`has_phone` … follow, and the rules reading them run) and the identity is free for another.
import { TagbaseError } from '../core/errors.js';
import { localized } from '../core/locale.js';
import { maskIdentity, namedIdentity } from '../core/access.js';
import { IDENTITY_KIND_LABELS, reachabilityValues, type IdentityKind } from '../core/customer.js';
import { writeCustomers, type WorkspaceContext } from './context.js';
import { requireCustomer } from './customers.js';
import { propagateCustomers } from './propagate.js';

export interface RemovedIdentity {
  customer: string;
  kind: IdentityKind;
  /** The value taken away, as the caller may see it (masked for roles that see identifiers masked). */
  value: string;
}

/**
 * Removes `kind`/`rawValue` from the customer `externalId` (or the record it was merged into),
 * in one transaction. The value is read as stored values are written (`+86 138-0013-8000` is
 * `13800138000`), or as a role that sees identifiers masked is shown it (`138****5678`): that
 * form names the identity when exactly one of the customer's identities of the kind looks so.
 */
export async function removeIdentity(context: WorkspaceContext, externalId: string, kind: IdentityKind, rawValue: string): Promise<RemovedIdentity> {
  const named = namedIdentity(kind, rawValue);
  if (named === undefined) throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`"${rawValue}" is not a valid ${kind}`, `「${rawValue}」不是有效的${IDENTITY_KIND_LABELS[kind]}`) });
  const { value: normalized, masked } = named;
  return writeCustomers(context, async (trx, changed) => {
    const customer = await requireCustomer(context, externalId, trx);
    const held = await trx.selectFrom('identities').select('value').where('customer_id', '=', customer.id).where('kind', '=', kind).execute();
    const matches = held.filter((row) => (masked ? maskIdentity(kind, row.value) === normalized : row.value === normalized));
    const shown = masked ? normalized : context.personalData === 'masked' ? maskIdentity(kind, normalized) : normalized;
    const params = { customer: customer.external_id, kind: localized(kind, IDENTITY_KIND_LABELS[kind]), value: shown };
    const [match, ...others] = matches;
    if (match === undefined) throw new TagbaseError('IDENTITY_NOT_FOUND', params);
    if (others.length > 0) throw new TagbaseError('IDENTITY_AMBIGUOUS', { ...params, count: matches.length });
    await trx.deleteFrom('identities').where('workspace_id', '=', context.workspaceId).where('kind', '=', kind).where('value', '=', match.value).where('customer_id', '=', customer.id).execute();
    await trx.updateTable('customers').set({ updated_at: context.now().getTime() }).where('id', '=', customer.id).execute();
    // The customer may no longer be reachable so: the rules reading has_phone … run again.
    const fields = new Set(Object.entries(reachabilityValues([kind])).flatMap(([field, reachable]) => (reachable ? [field] : [])));
    const propagation = await propagateCustomers(context, trx, [customer.id], [], fields);
    changed.add(customer.id);
    for (const id of propagation.changed) changed.add(id);
    return { customer: customer.external_id, kind, value: context.personalData === 'masked' ? maskIdentity(kind, match.value) : match.value };
  });
}
