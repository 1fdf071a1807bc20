// Searching customers by a part of their name answers the same on both stores: letters A–Z
// match either case (PostgreSQL's LIKE matched only the case typed, SQLite's either), and
// `%` and `_` are the characters typed, not wildcards or dropped.
import { expect } from 'vitest';
import { listCustomers, searchCustomerIds, upsertCustomers } from '../../src/engine/customers.js';
import { forEachStore, it } from '../support/stores.js';

forEachStore('searching customers by name', (h) => {
  async function found(q: string): Promise<string[]> {
    const page = await listCustomers(h.context(), { q, limit: 50, offset: 0 });
    expect(await searchCustomerIds(h.context(), q)).toEqual(page.items.map((item) => item.id));
    return page.items.map((item) => item.id);
  }

  it('matches letters A–Z in either case, and other characters as they are', async () => {
    await upsertCustomers(h.context(), [
      { id: 'C1', name: 'Alice Wang' },
      { id: 'C2', name: 'ALICE 张' },
      { id: 'C3', name: '张伟' },
      { id: 'C4', name: 'Élodie' },
    ]);
    expect(await found('alice')).toEqual(['C1', 'C2']);
    expect(await found('wANG')).toEqual(['C1']);
    expect(await found('张')).toEqual(['C2', 'C3']);
    expect(await found('Élodie')).toEqual(['C4']);
  });

  it('reads full-width letters and digits, as a Chinese input method types them, as plain ones', async () => {
    await upsertCustomers(h.context(), [
      { id: 'CO12', name: 'Alice 王', identities: [{ kind: 'member_card', value: 'VIP0088' }] },
      { id: 'C2', name: 'ＢＯＢ' },
    ]);
    expect(await found('ａｌｉｃｅ')).toEqual(['CO12']);
    expect(await found('ＣＯ１２')).toEqual(['CO12']);
    expect(await found('ＶＩＰ００８８')).toEqual(['CO12']);
    // A name stored full-width is found as it was typed.
    expect(await found('ＢＯＢ')).toEqual(['C2']);
  });

  it('reads % and _ as the characters typed', async () => {
    await upsertCustomers(h.context(), [
      { id: 'C1', name: '100%会员' },
      { id: 'C2', name: '1000会员' },
      { id: 'C3', name: 'li_na' },
      { id: 'C4', name: 'lina' },
      { id: 'C5', name: 'lixna' },
    ]);
    expect(await found('100%')).toEqual(['C1']);
    expect(await found('%')).toEqual(['C1']);
    expect(await found('li_na')).toEqual(['C3']);
    expect(await found('_')).toEqual(['C3']);
  });
});
