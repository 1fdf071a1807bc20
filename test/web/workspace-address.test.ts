// Where a page's address leads once the operator moves to another workspace.
import { describe, expect, it } from 'vitest';
import { addressInWorkspace } from '../../web/src/modules/app/utils/workspaceAddress.js';

describe('addressInWorkspace', () => {
  it('opens the section at its start, without what named the last workspace’s things', () => {
    // A portrait of someone in the last workspace becomes the customers list.
    expect(addressInWorkspace('/customers/C000123', '')).toBe('/customers');
    expect(addressInWorkspace('/customers/C000123', '?from=segment')).toBe('/customers');
    expect(addressInWorkspace('/transitions', '?tag=rfm&segment=vip&metrics=spend_365d')).toBe('/transitions');
    expect(addressInWorkspace('/customers', '?q=%E7%8E%8B&filter=has_tag(%22rfm%22)&page=3')).toBe('/customers');
    expect(addressInWorkspace('/care', '?plan=after_sales&customer=C1')).toBe('/care');
    expect(addressInWorkspace('/segments', '?compare=a,b')).toBe('/segments');
    expect(addressInWorkspace('/audit', '?actor=王芳')).toBe('/audit');
    expect(addressInWorkspace('/', '')).toBe('/');
  });

  it('keeps the choices that mean the same in any workspace', () => {
    expect(addressInWorkspace('/transitions', '?tag=rfm&days=7')).toBe('/transitions?days=7');
    expect(addressInWorkspace('/transitions', '?from=2026-01-01&tag=rfm&to=2026-01-31')).toBe('/transitions?from=2026-01-01&to=2026-01-31');
    expect(addressInWorkspace('/customers', '?q=x&sort=-spend_365d&size=50&page=2')).toBe('/customers?sort=-spend_365d&size=50');
    expect(addressInWorkspace('/care', '?tab=plans&plan=x')).toBe('/care?tab=plans');
    expect(addressInWorkspace('/tags', '?archived=true')).toBe('/tags?archived=true');
    expect(addressInWorkspace('/models', '?model=lifecycle')).toBe('/models?model=lifecycle');
  });
});
