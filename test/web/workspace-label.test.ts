// A workspace as the switcher and a token's workspaces list name it.
import { describe, expect, it } from 'vitest';
import { workspaceLabel } from '../../web/src/modules/app/utils/workspaceLabel.js';

describe('workspaceLabel', () => {
  it('names the built-in workspace in the console’s language, and any other by its own name, each with its key', () => {
    const chinese = () => '默认';
    expect(workspaceLabel(chinese, { key: 'default', name: 'Default' })).toBe('默认 (default)');
    expect(workspaceLabel(() => 'Default', { key: 'default', name: 'Default' })).toBe('Default (default)');
    // Renamed, it is the merchant's name.
    expect(workspaceLabel(chinese, { key: 'default', name: '总店' })).toBe('总店 (default)');
    expect(workspaceLabel(chinese, { key: 'shop-hz', name: '杭州店' })).toBe('杭州店 (shop-hz)');
  });
});
