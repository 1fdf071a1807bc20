// What the audit trail shows as an entry's target: the thing it names, read against the action's
// declared path, never a raw path where the entry says what it was done to.
import { describe, expect, it } from 'vitest';
import { auditTargetName, keptDefinition, namedTarget, tokenTerms, type AuditNames } from '../../web/src/modules/audit/utils/target.js';

describe("an audit entry's target", () => {
  it('names a customer, linked to the portrait, with the tag taken off them beside', () => {
    expect(auditTargetName('DELETE /customers/:id/tags/:tag', '/customers/C%201/tags/vip')).toEqual({ kind: 'audit.kind.customers', name: 'C 1', href: '/customers/C%201', detail: 'vip' });
  });

  it('names a tag and its value', () => {
    expect(auditTargetName('PATCH /tags/:tag/values/:value', '/tags/stage/values/lead')).toEqual({ kind: 'audit.kind.tags', name: 'stage', detail: 'lead' });
  });

  it('names a deleted tag by its key, its definition (which may hold slashes) kept for the hover', () => {
    const target = '/tags/trial?definition={"key":"trial","name":"试用/旧","values":[{"key":"a","condition":"x = \\"a/b\\""}]}';
    expect(auditTargetName('DELETE /tags/:tag', target)).toEqual({ kind: 'audit.kind.tags', name: 'trial' });
    expect(auditTargetName('tag delete', target)).toEqual({ kind: 'audit.kind.tags', name: 'trial' });
  });

  it("lays out a deleted tag's definition to be read, however long, and finds none in any other target", () => {
    const values = Array.from({ length: 60 }, (_, i) => ({ key: `v${String(i)}`, name: `值/${String(i)}` }));
    const target = `/tags/wide?definition=${JSON.stringify({ key: 'wide', name: '宽', values })}`;
    expect(target.length).toBeGreaterThan(1024);
    const shown = keptDefinition(target) ?? '';
    expect(JSON.parse(shown)).toEqual({ key: 'wide', name: '宽', values });
    expect(shown.split('\n')).toContain('  "key": "wide",');
    expect(keptDefinition('/tags/wide')).toBeUndefined();
    expect(keptDefinition('/tags/wide?definition={"key":"wi')).toBeUndefined();
    expect(keptDefinition('/segments/export?definition={}')).toBeUndefined();
  });

  it('names what a create made rather than the collection it was posted to', () => {
    expect(auditTargetName('POST /tags', '/tags/audit_probe')).toEqual({ kind: 'audit.kind.tags', name: 'audit_probe' });
    expect(auditTargetName('POST /care/plans', '/care/plans/after_sales')).toEqual({ kind: 'audit.kind.carePlans', name: 'after_sales' });
    expect(auditTargetName('POST /tags/:tag/values', '/tags/stage/values/lead')).toEqual({ kind: 'audit.kind.tags', name: 'stage', detail: 'lead' });
  });

  it('does not take an action on a collection for a thing of it', () => {
    expect(auditTargetName('POST /segments/export', '/segments/export')).toEqual({ kind: 'audit.kind.expression', name: '' });
    expect(auditTargetName('POST /segments/tag', '/segments/tag')).toEqual({ kind: 'audit.kind.expression', name: '' });
    expect(auditTargetName('POST /care/run', '/care/run')).toEqual({ kind: 'audit.kind.care', name: '' });
    expect(auditTargetName('PATCH /workspace', '/workspace')).toEqual({ kind: 'audit.kind.thisWorkspace', name: '' });
  });

  it('names care reminders, event batches, bulk taggings, templates, imports and tokens', () => {
    expect(auditTargetName('PATCH /care/reminders/:reminder', '/care/reminders/42')).toEqual({ kind: 'audit.kind.careReminders', name: '42' });
    // What the change did follows the declared path (`?done`, `?snooze`): the reminder is named the same.
    expect(auditTargetName('PATCH /care/reminders/:reminder?snooze', '/care/reminders/42')).toEqual({ kind: 'audit.kind.careReminders', name: '42' });
    expect(auditTargetName('POST /events/journal/:batch/retry', '/events/journal/7/retry')).toEqual({ kind: 'audit.kind.eventBatches', name: '7' });
    expect(auditTargetName('POST /tagging/operations/:operation/undo', '/tagging/operations/op-1/undo')).toEqual({ kind: 'audit.kind.taggingOperations', name: 'op-1' });
    expect(auditTargetName('POST /templates/:template/apply', '/templates/retail/apply')).toEqual({ kind: 'audit.kind.templates', name: 'retail' });
    expect(auditTargetName('POST /imports/:kind', '/imports/customers')).toEqual({ kind: 'audit.kind.imports', name: '', nameKey: 'imports.customers' });
    expect(auditTargetName('DELETE /tokens/:name', '/tokens/ops')).toEqual({ kind: 'audit.kind.tokens', name: 'ops' });
  });

  it("reads a token's role, its days and its workspaces apart, for the console to say them in its own words", () => {
    expect(tokenTerms('admin')).toEqual({ role: 'admin' });
    expect(tokenTerms('viewer, 7d')).toEqual({ role: 'viewer', days: 7 });
    expect(tokenTerms('operator, shop-hz shop-sh')).toEqual({ role: 'operator', workspaces: ['shop-hz', 'shop-sh'] });
    expect(tokenTerms('operator, 90d, shop-hz')).toEqual({ role: 'operator', days: 90, workspaces: ['shop-hz'] });
  });

  it("reads the command line's targets: a token with its role, a workspace, a webhook with its address", () => {
    expect(auditTargetName('token create', 'ops (operator, 30d, demo)')).toEqual({ kind: 'audit.kind.tokens', name: 'ops', detail: 'operator, 30d, demo', token: { role: 'operator', days: 30, workspaces: ['demo'] } });
    expect(auditTargetName('token revoke', 'ops')).toEqual({ kind: 'audit.kind.tokens', name: 'ops' });
    expect(auditTargetName('demo', 'demo')).toEqual({ kind: 'audit.kind.workspaces', name: 'demo' });
    expect(auditTargetName('webhook add', '#3 https://crm.example.com/hooks')).toEqual({ kind: 'audit.kind.webhooks', name: '#3', detail: 'https://crm.example.com/hooks' });
    expect(auditTargetName('customer erase', '/customers/(erased)')).toEqual({ kind: 'audit.kind.erasedCustomer', name: '' });
    expect(auditTargetName('customer show', '/customers/C1')).toEqual({ kind: 'audit.kind.customers', name: 'C1', href: '/customers/C1' });
  });

  it('leaves a target it cannot read as it is', () => {
    expect(auditTargetName('POST /somewhere/new', '/somewhere/new')).toBeUndefined();
    expect(auditTargetName('something else', 'free text')).toBeUndefined();
  });

  it('names a tag, its value, a segment and a workspace as the workspace names them today, and a thing deleted since by its key', () => {
    const names: AuditNames = {
      things: new Map([
        ['audit.kind.tags', new Map([['stage', '阶段']])],
        ['audit.kind.segments', new Map([['vip_care', '高价值关怀']])],
        ['audit.kind.workspaces', new Map([['empty', '空白店']])],
      ]),
      tagValues: new Map([['stage', new Map([['lead', '潜在']])]]),
    };
    const named = (action: string, target: string) => {
      const found = auditTargetName(action, target);
      return found && namedTarget(found, names);
    };
    expect(named('PATCH /tags/:tag/values/:value', '/tags/stage/values/lead')).toEqual({ kind: 'audit.kind.tags', name: '阶段', detail: '潜在' });
    expect(named('GET /segments/:segment/export', '/segments/vip_care/export')).toEqual({ kind: 'audit.kind.segments', name: '高价值关怀' });
    expect(named('DELETE /segments/:segment', '/segments/gone')).toEqual({ kind: 'audit.kind.segments', name: 'gone' });
    // A demo loaded, a workspace renamed or made: the workspace by its name, one deleted since by its key.
    expect(named('demo', 'empty')).toEqual({ kind: 'audit.kind.workspaces', name: '空白店' });
    expect(named('workspace update', 'empty')).toEqual({ kind: 'audit.kind.workspaces', name: '空白店' });
    expect(named('POST /workspaces', '/workspaces/empty')).toEqual({ kind: 'audit.kind.workspaces', name: '空白店' });
    expect(named('workspace create', '/workspaces/empty')).toEqual({ kind: 'audit.kind.workspaces', name: '空白店' });
    expect(named('demo', 'gone')).toEqual({ kind: 'audit.kind.workspaces', name: 'gone' });
    // A customer is named by their id: the trail is read to find whose record was touched.
    expect(named('POST /customers/:id/tags', '/customers/vip_care/tags')).toEqual({ kind: 'audit.kind.customers', name: 'vip_care', href: '/customers/vip_care' });
  });
});
