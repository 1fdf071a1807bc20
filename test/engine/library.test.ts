import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { assignTag } from '../../src/engine/tagging.js';
import { getCustomerHistory, getPortrait } from '../../src/engine/portrait.js';
import {
  addTagValue,
  countTagHolders,
  createTagGroup,
  deleteTagGroup,
  getTag,
  listTagGroups,
  loadTags,
  removeTagValue,
  updateTag,
  updateTagGroup,
  updateTagValue,
} from '../../src/engine/library.js';
import { tagInputSchema } from '../../src/core/tag.js';
import { TagbaseError } from '../../src/core/errors.js';
import { createWebhook, listWebhooks } from '../../src/engine/webhooks.js';
import { defineTag, interests, rejected, stage } from './support.js';

forEachStore('tag library', (h) => {
  it('creates a tag in a group with ordered values', async () => {
    const ctx = h.context();
    await createTagGroup(ctx, { key: 'service', name: '服务' });
    const tag = await defineTag(ctx, { ...stage, group: 'service', color: '#1677ff', default_expiry_days: 90 });
    expect(tag).toMatchObject({ key: 'stage', name: '服务阶段', scope: 'enterprise', cardinality: 'single', ordered: true, kind: 'manual', status: 'active', defaultExpiryDays: 90 });
    expect(tag.values.map((v) => [v.key, v.sortOrder])).toEqual([['pre', 0], ['during', 1], ['after', 2]]);
    // The tag already there is named as people know it, with its key after it.
    const exists = await rejected(defineTag(ctx, { ...stage, name: '另一个阶段' }));
    expect([exists.code, exists.message, exists.messageIn('zh-CN')]).toEqual(['TAG_EXISTS', 'Tag "服务阶段" (stage) already exists.', '标签「服务阶段」（stage）已存在。']);
    expect((await rejected(defineTag(ctx, stage))).message).toBe('Tag "服务阶段" (stage) already exists.');
    expect((await rejected(defineTag(ctx, { ...interests, group: 'nope' }))).code).toBe('TAG_GROUP_NOT_FOUND');
    // A name finds one tag: another key may not take it, nor may a rename.
    const named = await rejected(defineTag(ctx, { ...interests, name: '服务阶段' }));
    expect([named.code, named.message, named.messageIn('zh-CN')]).toEqual([
      'TAG_NAME_TAKEN',
      'Tag "服务阶段" (stage) already has the name "服务阶段"; choose another name, so that expressions and pickers find one tag by it.',
      '标签「服务阶段」（stage）已使用名称「服务阶段」，请换一个名称，以免表达式和选择框按名称找到两个标签。',
    ]);
    await defineTag(ctx, interests);
    expect((await rejected(updateTag(ctx, 'interests', { name: '服务阶段' }))).code).toBe('TAG_NAME_TAKEN');
    const renamedOnto = await rejected(updateTag(ctx, 'interests', { key: 'stage' }));
    expect([renamedOnto.code, renamedOnto.message]).toEqual(['TAG_EXISTS', 'Tag "服务阶段" (stage) already exists.']);
    expect((await updateTag(ctx, 'stage', { name: '服务阶段' })).name).toBe('服务阶段');
    // Staff members' personal tags may share a name with each other, not with a shared tag.
    await defineTag(h.context('导购-王芳'), { key: 'mine', name: '我的重点', scope: 'personal', values: [{ key: 'yes', name: '是' }] });
    await defineTag(h.context('导购-李娜'), { key: 'mine', name: '我的重点', scope: 'personal', values: [{ key: 'yes', name: '是' }] });
    expect((await rejected(defineTag(h.context('导购-李娜'), { key: 'mine2', name: '服务阶段', scope: 'personal', values: [{ key: 'yes', name: '是' }] }))).code).toBe('TAG_NAME_TAKEN');
  });

  it('renames a tag and a value and keeps the assignments', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }]);
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C1'], source: 'manual' });
    await updateTag(ctx, 'interests', { key: 'hobbies', name: '爱好' });
    await updateTagValue(ctx, 'hobbies', 'golf', { name: '高尔夫球' });
    expect((await getPortrait(ctx, 'C1')).tags.map((t) => t.label)).toEqual(['爱好: 高尔夫球']);
  });

  it('reorders values', async () => {
    const ctx = h.context();
    await defineTag(ctx, stage);
    await updateTagValue(ctx, 'stage', 'after', { position: 0 });
    expect((await getTag(ctx, 'stage')).values.map((v) => v.key)).toEqual(['after', 'pre', 'during']);
    await addTagValue(ctx, 'stage', { key: 'lost', name: '流失', position: 1 });
    expect((await getTag(ctx, 'stage')).values.map((v) => v.key)).toEqual(['after', 'lost', 'pre', 'during']);
    expect((await rejected(addTagValue(ctx, 'stage', { key: 'pre2', name: '售前' }))).code).toBe('TAG_VALUE_EXISTS');
  });

  it('refuses a value key or name that is already another value\'s name or key', async () => {
    const ctx = h.context();
    // Values are found by key, then by name: 「售中」 named "after" would be out of reach as "after".
    const crossed = tagInputSchema.safeParse({ ...stage, key: 'crossed', name: '交叉', values: [{ key: 'pre', name: '售前' }, { key: 'during', name: 'pre' }, { key: '售前', name: '售前2' }] });
    expect(crossed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['values.1.name', 'value name "pre" is another value\'s key'],
      ['values.2.key', 'value key "售前" is another value\'s name'],
    ]);
    await defineTag(ctx, stage);
    const added = await rejected(addTagValue(ctx, 'stage', { key: '售前', name: '售前咨询' }));
    expect([added.code, added.message, added.messageIn('zh-CN')]).toEqual(['TAG_VALUE_EXISTS', 'Tag "服务阶段" (stage) already has a value "售前".', '标签「服务阶段」（stage）已有值「售前」。']);
    expect((await rejected(addTagValue(ctx, 'stage', { key: 'lost', name: 'after' }))).code).toBe('TAG_VALUE_EXISTS');
    expect((await rejected(updateTagValue(ctx, 'stage', 'during', { name: 'after' }))).code).toBe('TAG_VALUE_EXISTS');
    expect((await rejected(updateTagValue(ctx, 'stage', 'during', { key: '售后' }))).code).toBe('TAG_VALUE_EXISTS');
    // A value may answer to its own key as its name, and keep what it has while other fields change.
    expect((await updateTagValue(ctx, 'stage', 'during', { name: 'during' })).values.map((v) => [v.key, v.name])).toEqual([['pre', '售前'], ['during', 'during'], ['after', '售后']]);
    expect((await addTagValue(ctx, 'stage', { key: 'lost', name: 'lost' })).values).toHaveLength(4);
  });

  it('asks what to do before removing a value in use, and never leaves dangling rows', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }, { id: 'C2' }, { id: 'C3' }]);
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C1', 'C2', 'C3'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'fishing', customers: ['C1'], source: 'manual' });
    const inUse = await rejected(removeTagValue(ctx, 'interests', 'golf', {}));
    expect(inUse.code).toBe('TAG_VALUE_IN_USE');
    expect(inUse.params.count).toBe(3);
    const moved = await removeTagValue(ctx, 'interests', 'golf', { onAssigned: 'move', moveTo: 'fishing' });
    expect(moved).toMatchObject({ movedAssignments: 2, removedAssignments: 1 });
    for (const id of ['C1', 'C2', 'C3']) expect((await getPortrait(ctx, id)).tags.map((t) => t.value)).toEqual(['fishing']);
    expect((await getCustomerHistory(ctx, 'C2', { limit: 1 })).items[0]).toMatchObject({ action: 'replace', value: 'fishing', label: '兴趣爱好: 高尔夫 → 钓鱼' });
    const removed = await removeTagValue(ctx, 'interests', 'fishing', { onAssigned: 'remove' });
    expect(removed.removedAssignments).toBe(3);
    const orphans = await ctx.store.db.selectFrom('assignments').leftJoin('tag_values', 'tag_values.id', 'assignments.value_id').select('tag_values.id').execute();
    expect(orphans.every((row) => row.id !== null)).toBe(true);
  });

  it('removes two values at once, one merged into the other, without failing or leaving the tag without values', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'during', customers: ['B'], source: 'manual' });
    // Two operators editing the tag: one merges 售前 into 售中, the other takes 售中 away with its holders.
    const merged = await Promise.allSettled([removeTagValue(ctx, 'stage', 'pre', { onAssigned: 'move', moveTo: 'during' }), removeTagValue(ctx, 'stage', 'during', { onAssigned: 'remove' })]);
    // Whichever comes second finds the other's value gone, and says so.
    for (const outcome of merged) if (outcome.status === 'rejected') expect([outcome.reason instanceof TagbaseError, (outcome.reason as TagbaseError).code]).toEqual([true, 'TAG_VALUE_NOT_FOUND']);
    const ids = new Set((await getTag(ctx, 'stage')).values.map((value) => value.id));
    const held = await ctx.store.db.selectFrom('assignments').select('value_id').where('workspace_id', '=', ctx.workspaceId).execute();
    expect(held.every((row) => ids.has(row.value_id))).toBe(true);
    // The last two values taken out at once: one stays.
    await defineTag(ctx, { key: 'vip', name: '重点', values: [{ key: 'yes', name: '是' }, { key: 'no', name: '否' }] });
    const both = await Promise.allSettled([removeTagValue(ctx, 'vip', 'yes', { onAssigned: 'remove' }), removeTagValue(ctx, 'vip', 'no', { onAssigned: 'remove' })]);
    expect(both.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome.reason as TagbaseError).code)).toEqual(['VALIDATION_FAILED']);
    expect((await getTag(ctx, 'vip')).values).toHaveLength(1);
  });

  it('keeps a webhook following the tag when two new keys are given to it at once', async () => {
    const ctx = h.context();
    await defineTag(ctx, stage);
    await createWebhook(ctx, { url: 'http://127.0.0.1:18080/hook', tags: ['stage'] });
    // Two operators rename the key at the same moment: whichever lands last is the tag's key, and the webhook's.
    await Promise.allSettled([updateTag(ctx, 'stage', { key: 'phase' }), updateTag(ctx, 'stage', { key: 'step' })]);
    const [tag] = await loadTags(ctx);
    expect((await listWebhooks(ctx))[0]?.tags).toEqual([tag?.key]);
  });

  it('never gives two values one name when they are added or renamed at once', async () => {
    const ctx = h.context();
    await defineTag(ctx, stage);
    const added = await Promise.allSettled([addTagValue(ctx, 'stage', { key: 'lost', name: '流失' }), addTagValue(ctx, 'stage', { key: 'gone', name: '流失' })]);
    expect(added.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome.reason as TagbaseError).code)).toEqual(['TAG_VALUE_EXISTS']);
    const renamed = await Promise.allSettled([updateTagValue(ctx, 'stage', 'pre', { name: '跟进' }), updateTagValue(ctx, 'stage', 'during', { name: '跟进' })]);
    expect(renamed.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome.reason as TagbaseError).code)).toEqual(['TAG_VALUE_EXISTS']);
    const names = (await getTag(ctx, 'stage')).values.map((value) => value.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('never gives two shared tags one name when they are made or renamed at once', async () => {
    const ctx = h.context();
    const made = await Promise.allSettled([defineTag(ctx, { ...stage, key: 'stage_a' }), defineTag(ctx, { ...stage, key: 'stage_b' })]);
    expect(made.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome.reason as TagbaseError).code)).toEqual(['TAG_NAME_TAKEN']);
    await defineTag(ctx, { ...stage, key: 'x', name: '甲' });
    await defineTag(ctx, { ...stage, key: 'y', name: '乙' });
    const renamed = await Promise.allSettled([updateTag(ctx, 'x', { name: '丙' }), updateTag(ctx, 'y', { name: '丙' })]);
    expect(renamed.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome.reason as TagbaseError).code)).toEqual(['TAG_NAME_TAKEN']);
    const names = (await loadTags(ctx)).map((tag) => tag.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('keeps every value in its own place when values are added and moved at once', async () => {
    const ctx = h.context();
    await defineTag(ctx, stage);
    await Promise.all([addTagValue(ctx, 'stage', { key: 'lost', name: '流失', position: 0 }), updateTagValue(ctx, 'stage', 'after', { position: 0 }), updateTagValue(ctx, 'stage', 'pre', { position: 2 })]);
    const orders = (await getTag(ctx, 'stage')).values.map((value) => value.sortOrder);
    expect(orders).toEqual([0, 1, 2, 3]);
  });

  it('refuses to make a tag single-valued while customers hold several values', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }]);
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C1'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['C1'], source: 'manual' });
    expect((await rejected(updateTag(ctx, 'interests', { cardinality: 'single' }))).code).toBe('TAG_CARDINALITY_CONFLICT');
  });

  it('counts holders and second values without those past their expiry, before the expiry sweep takes them off', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1' }, { id: 'C2' }]);
    await defineTag(ctx, interests);
    const until = h.clock.now().getTime() + 60_000;
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C1'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['C1', 'C2'], source: 'manual', expiresAt: until });
    const { id } = await getTag(ctx, 'interests');
    expect(await countTagHolders(ctx, id)).toBe(2);
    expect((await rejected(updateTag(ctx, 'interests', { cardinality: 'single' }))).code).toBe('TAG_CARDINALITY_CONFLICT');
    // At the expiry, with no sweep run: C1 holds golf alone and C2 nothing.
    h.clock.advance(60_000);
    expect(await countTagHolders(ctx, id)).toBe(1);
    expect((await updateTag(ctx, 'interests', { cardinality: 'single' })).cardinality).toBe('single');
  });

  it('archives and restores; archived tags leave the default list', async () => {
    const ctx = h.context();
    await defineTag(ctx, stage);
    await updateTag(ctx, 'stage', { status: 'archived' });
    expect(await loadTags(ctx)).toEqual([]);
    expect((await loadTags(ctx, { includeArchived: true })).map((t) => t.status)).toEqual(['archived']);
    await updateTag(ctx, 'stage', { status: 'active' });
    expect((await loadTags(ctx)).map((t) => t.key)).toEqual(['stage']);
  });

  it('manages groups and refuses to delete one that holds tags', async () => {
    const ctx = h.context();
    await createTagGroup(ctx, { key: 'life', name: '生命周期' });
    await updateTagGroup(ctx, 'life', { name: '客户生命周期' });
    await defineTag(ctx, { ...stage, group: 'life' });
    expect((await rejected(deleteTagGroup(ctx, 'life'))).code).toBe('TAG_GROUP_NOT_EMPTY');
    await updateTag(ctx, 'stage', { group: null });
    await deleteTagGroup(ctx, 'life');
  });

  it('deletes a group holding only another staff member\'s personal tag, which it neither counts nor names, and leaves that tag ungrouped', async () => {
    const admin = h.context('店长');
    await createTagGroup(admin, { key: 'life', name: '生命周期' });
    const owner = h.context('导购-王芳');
    await defineTag(owner, { key: 'mine', name: '我的重点', scope: 'personal', group: 'life', values: [{ key: 'yes', name: '是' }] });
    await defineTag(admin, { ...stage, group: 'life' });
    // The shared tag alone is counted: the refusal does not tell that another tag is there.
    const refusal = await rejected(deleteTagGroup(admin, 'life'));
    expect(refusal.code).toBe('TAG_GROUP_NOT_EMPTY');
    expect(refusal.message).toMatch(/still holds 1 tag,/);
    await updateTag(admin, 'stage', { group: null });
    await deleteTagGroup(admin, 'life');
    expect((await loadTags(owner)).find((tag) => tag.key === 'mine')).toMatchObject({ groupId: null });
    // Its owner's own tag still keeps a group of theirs from being deleted by them.
    await createTagGroup(owner, { key: 'mine_group', name: '我的分组' });
    await updateTag(owner, 'mine', { group: 'mine_group' });
    expect((await rejected(deleteTagGroup(owner, 'mine_group'))).code).toBe('TAG_GROUP_NOT_EMPTY');
  });

  it('refuses to delete a group holding only an archived tag without advising to archive it', async () => {
    const ctx = h.context();
    await createTagGroup(ctx, { key: 'life', name: '生命周期' });
    await defineTag(ctx, { ...stage, group: 'life' });
    await updateTag(ctx, 'stage', { status: 'archived' });
    // Archiving does not empty a group: what the refusal advises must be what frees it.
    const refusal = await rejected(deleteTagGroup(ctx, 'life'));
    expect(refusal.code).toBe('TAG_GROUP_NOT_EMPTY');
    expect(refusal.message).not.toMatch(/archive it/);
    expect(refusal.message).toMatch(/archived ones included/);
    await updateTag(ctx, 'stage', { group: null });
    await deleteTagGroup(ctx, 'life');
  });

  it('never gives two groups one name when they are made or renamed at once', async () => {
    const ctx = h.context();
    const made = await Promise.allSettled([createTagGroup(ctx, { key: 'life_a', name: '生命周期' }), createTagGroup(ctx, { key: 'life_b', name: '生命周期' })]);
    expect(made.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome.reason as TagbaseError).code)).toEqual(['TAG_GROUP_NAME_TAKEN']);
    await createTagGroup(ctx, { key: 'x', name: '甲' });
    await createTagGroup(ctx, { key: 'y', name: '乙' });
    const renamed = await Promise.allSettled([updateTagGroup(ctx, 'x', { name: '丙' }), updateTagGroup(ctx, 'y', { name: '丙' })]);
    expect(renamed.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome.reason as TagbaseError).code)).toEqual(['TAG_GROUP_NAME_TAKEN']);
    const createdAndRenamed = await Promise.allSettled([createTagGroup(ctx, { key: 'z', name: '丁' }), updateTagGroup(ctx, 'x', { name: '丁' })]);
    expect(createdAndRenamed.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome.reason as TagbaseError).code)).toEqual(['TAG_GROUP_NAME_TAKEN']);
    // A name and another group's key are one answer to `"group": …` too.
    const keyedSo = await Promise.allSettled([createTagGroup(ctx, { key: 'service', name: '服务' }), updateTagGroup(ctx, 'y', { name: 'service' })]);
    expect(keyedSo.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome.reason as TagbaseError).code)).toEqual(['TAG_GROUP_NAME_TAKEN']);
    const groups = await listTagGroups(ctx);
    const answers = groups.flatMap((group) => (group.name === group.key ? [group.key] : [group.key, group.name]));
    expect(new Set(answers).size).toBe(answers.length);
  });

  it('refuses a group name or key that differs from another group\'s name or key only in letter case or full-width form, keeping pairs saved before', async () => {
    const ctx = h.context();
    await createTagGroup(ctx, { key: 'vip', name: 'VIP客户' });
    const alike = await rejected(createTagGroup(ctx, { key: 'vip2', name: 'ｖｉｐ客户' }));
    expect([alike.code, alike.params.group, alike.message, alike.messageIn('zh-CN')]).toEqual([
      'TAG_GROUP_NAME_TAKEN',
      'vip',
      'Tag group "vip" already answers to "VIP客户" (as its name or key) (names that differ only in letter case or full-width/half-width form are one name); choose another, so that the name finds one group.',
      '标签分组「vip」的名称或标识已是「VIP客户」（仅大小写或全角半角不同的名称视为同一名称），请换一个，以免按名称找到两个分组。',
    ]);
    // Another group's key, written otherwise, is the same answer.
    expect((await rejected(createTagGroup(ctx, { key: 'other', name: 'ＶＩＰ' }))).params).toMatchObject({ group: 'vip', name: 'vip' });
    await createTagGroup(ctx, { key: 'service', name: '服务' });
    expect((await rejected(updateTagGroup(ctx, 'service', { name: 'Vip客户' }))).code).toBe('TAG_GROUP_NAME_TAKEN');
    // The group itself may be written another way.
    expect((await updateTagGroup(ctx, 'vip', { name: 'Vip客户' })).name).toBe('Vip客户');
    // Two names saved before names were compared so: kept, and the group's other changes go through.
    await h.store().db.updateTable('tag_groups').set({ name: 'ｖｉｐ客户' }).where('workspace_id', '=', ctx.workspaceId).where('key', '=', 'service').execute();
    expect((await updateTagGroup(ctx, 'service', { description: '全角的', key: 'service_desk' })).name).toBe('ｖｉｐ客户');
    expect((await rejected(updateTagGroup(ctx, 'service_desk', { name: 'VIP客户' }))).code).toBe('TAG_GROUP_NAME_TAKEN');
  });

  it('refuses a shared tag name that differs from another only in letter case or full-width form', async () => {
    const ctx = h.context();
    await defineTag(ctx, { key: 'vip', name: 'VIP客户', values: [{ key: 'yes', name: '是' }] });
    const alike = await rejected(defineTag(ctx, { key: 'vip2', name: 'ｖｉｐ客户', values: [{ key: 'yes', name: '是' }] }));
    expect([alike.code, alike.params.tag, alike.message, alike.messageIn('zh-CN')]).toEqual([
      'TAG_NAME_TAKEN',
      'vip',
      'Tag "VIP客户" (vip) already has the name "VIP客户" (names that differ only in letter case or full-width/half-width form are one name); choose another name, so that expressions and pickers find one tag by it.',
      '标签「VIP客户」（vip）已使用名称「VIP客户」（仅大小写或全角半角不同的名称视为同一名称），请换一个名称，以免表达式和选择框按名称找到两个标签。',
    ]);
    await defineTag(ctx, interests);
    expect((await rejected(updateTag(ctx, 'interests', { name: 'Vip客户' }))).code).toBe('TAG_NAME_TAKEN');
    // A personal tag may not take a shared name so written either; another's personal tag is not named.
    const personal = await rejected(defineTag(h.context('导购-王芳'), { key: 'mine', name: 'vip客户', scope: 'personal', values: [{ key: 'yes', name: '是' }] }));
    expect([personal.code, personal.params.tag]).toEqual(['TAG_NAME_TAKEN', 'vip']);
    await defineTag(h.context('导购-王芳'), { key: 'mine', name: '我的Ａ类', scope: 'personal', values: [{ key: 'yes', name: '是' }] });
    const hidden = await rejected(defineTag(ctx, { key: 'shared_a', name: '我的a类', values: [{ key: 'yes', name: '是' }] }));
    expect([hidden.code, hidden.params.tag, hidden.message]).toEqual([
      'TAG_NAME_TAKEN',
      '我的a类',
      'Another staff member\'s personal tag already has the name "我的a类" (names that differ only in letter case or full-width/half-width form are one name); choose another name, so that expressions and pickers find one tag by it.',
    ]);
    // The tag itself may be written another way.
    expect((await updateTag(ctx, 'vip', { name: 'Vip客户' })).name).toBe('Vip客户');
  });

  it('keeps shared tag names that already differ only in letter case, and refuses a third', async () => {
    const ctx = h.context();
    await defineTag(ctx, { key: 'vip', name: 'VIP', values: [{ key: 'yes', name: '是' }] });
    await defineTag(ctx, { key: 'vip_fw', name: '贵宾', values: [{ key: 'yes', name: '是' }] });
    // Two names made before names were compared so: the store keeps them.
    await h.store().db.updateTable('tags').set({ name: 'ｖｉｐ' }).where('key', '=', 'vip_fw').execute();
    expect((await updateTag(ctx, 'vip_fw', { description: '全角的' })).name).toBe('ｖｉｐ');
    expect((await updateTag(ctx, 'vip', { color: '#1677ff' })).name).toBe('VIP');
    expect((await rejected(defineTag(ctx, { key: 'vip3', name: 'Vip', values: [{ key: 'yes', name: '是' }] }))).code).toBe('TAG_NAME_TAKEN');
    // Either of them written anew another way is refused too: that would be a new clash.
    expect((await rejected(updateTag(ctx, 'vip_fw', { name: 'vip' }))).code).toBe('TAG_NAME_TAKEN');
  });

  it('requires an owner for a personal tag', async () => {
    const ctx = h.context(null);
    expect((await rejected(defineTag(ctx, { ...stage, scope: 'personal' }))).code).toBe('PERSONAL_TAG_OWNER_REQUIRED');
  });
});
