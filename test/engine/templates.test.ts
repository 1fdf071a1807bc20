import { describe, expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { describeConflict, diffTag, listTemplates, showTemplate } from '../../src/core/templates/index.js';
import { TagbaseError } from '../../src/core/errors.js';
import { tagGroupInputSchema, tagInputSchema } from '../../src/core/tag.js';
import { loadWorkspaceCatalog } from '../../src/engine/catalog.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { createTag, createTagGroup, getTag, listTagGroups, loadTags, removeTagValue, updateTag, updateTagValue } from '../../src/engine/library.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { compileRules } from '../../src/engine/rules.js';
import { compileExpression } from '../../src/core/expression/index.js';
import { applyTemplate } from '../../src/engine/templates.js';
import { MODEL_KINDS } from '../../src/core/models/catalog.js';
import { BUILTIN_METRICS } from '../../src/core/metric.js';
import { configureModel } from '../../src/engine/models.js';
import { defineTag, rejected } from './support.js';

describe('template catalogue', () => {
  it('holds every template the product promises, each self-consistent', () => {
    expect(listTemplates().map((template) => template.key)).toEqual(['general', 'retail', 'restaurant', 'apparel', 'mother_baby', 'liquor', 'b2b', 'personality', 'levels']);
    for (const template of listTemplates()) {
      const groupKeys = template.groups.map((group) => group.key);
      expect(new Set(groupKeys).size, template.key).toBe(groupKeys.length);
      expect(new Set(template.tags.map((tag) => tag.key)).size, template.key).toBe(template.tags.length);
      for (const tag of template.tags) {
        expect(groupKeys, `${template.key}.${tag.key}`).toContain(tag.group);
        expect(tag.scope).toBe('enterprise');
      }
    }
  });

  it('describes the annual spend bands as the metric they read counts: net of refunds', () => {
    const annual = showTemplate('general').tags.find((tag) => tag.key === 'annual_spend');
    const metric = BUILTIN_METRICS.find((definition) => definition.key === 'spend_365d');
    expect(metric?.description).toContain('扣除同期发生的退款');
    expect(annual?.description).toBe('近365天消费额分段（元，扣除同期退款后的净额）');
  });

  it('defines a tag key the same way in every template that holds it', () => {
    const seen = new Map<string, unknown>();
    for (const template of listTemplates()) {
      for (const tag of template.tags) {
        if (seen.has(tag.key)) expect(tag, `${template.key}.${tag.key}`).toEqual(seen.get(tag.key));
        seen.set(tag.key, tag);
      }
    }
  });

  it('leaves the models their tags’ keys and names, so that a workspace started from a template can enable any model', () => {
    const keys = new Set(MODEL_KINDS.map((kind) => kind.key));
    const names = new Set(MODEL_KINDS.map((kind) => kind.name));
    const taken = listTemplates().flatMap((template) => template.tags.filter((tag) => keys.has(tag.key) || names.has(tag.name)).map((tag) => `${template.key}.${tag.key}`));
    // 兴趣爱好 (interests learnt in conversation), the demo shop's own tag, predates the model of
    // interests read from browsing (行为兴趣); its key stays where every library has it.
    expect(taken).toEqual(['retail.interests']);
    for (const template of listTemplates()) {
      for (const [key, former] of template.formerKeys) {
        expect(template.tags.map((tag) => tag.key), template.key).toContain(key);
        for (const old of former) expect(template.tags.map((tag) => tag.key), `${template.key}: ${old} is a former key`).not.toContain(old);
      }
    }
  });

  it('finds a template by key or name, and suggests one for a typo', () => {
    expect(showTemplate('餐饮').key).toBe('restaurant');
    expect(showTemplate('Apparel').key).toBe('apparel');
    const error = (() => {
      try {
        showTemplate('resturant');
      } catch (caught) {
        if (caught instanceof TagbaseError) return caught;
      }
      throw new Error('expected TEMPLATE_NOT_FOUND');
    })();
    expect(error.code).toBe('TEMPLATE_NOT_FOUND');
    expect(error.message).toContain('Did you mean "restaurant"?');
    expect(error.message).toContain('Templates: general, retail, restaurant,');
    expect(error.messageIn('zh-CN')).toContain('可用的模板：general、retail、restaurant、');
  });

  it('describes a conflict on one readable line', () => {
    const template = showTemplate('levels').tags[0];
    if (!template) throw new Error('levels has a tag');
    const existing = { id: 1, key: 'abc_level', name: '客户分级', description: null, color: '#cf1322', groupId: 1, scope: 'enterprise' as const, owner: null, cardinality: 'single' as const, ordered: true, defaultExpiryDays: null, kind: 'manual' as const, status: 'active' as const, createdAt: 0, updatedAt: 0, values: template.values.map((value, index) => ({ id: index, key: value.key, name: value.key === 'a' ? 'A类' : value.name, color: value.color ?? null, description: value.description ?? null, sortOrder: index, condition: null })) };
    const conflicts = diffTag(template, existing, 'levels');
    expect(conflicts).toEqual([{ tag: 'abc_level', value: 'a', field: 'name', template: 'A级', workspace: 'A类' }]);
    expect(conflicts.map((conflict) => describeConflict(conflict))).toEqual(['tag abc_level, value a: name is "A类" here, "A级" in the template; kept']);
  });
});

forEachStore('tag library templates', (h) => {
  it('applies every template cleanly to an empty workspace, and every rule compiles', async () => {
    for (const template of listTemplates()) {
      const ctx = h.context();
      await ctx.store.db.deleteFrom('tag_values').where('workspace_id', '=', ctx.workspaceId).execute();
      await ctx.store.db.deleteFrom('tags').where('workspace_id', '=', ctx.workspaceId).execute();
      await ctx.store.db.deleteFrom('tag_groups').where('workspace_id', '=', ctx.workspaceId).execute();
      const result = await applyTemplate(ctx, template.key);
      expect(result, template.key).toEqual({
        template: template.key,
        created: { groups: template.groups.length, tags: template.tags.length, values: template.tags.reduce((sum, tag) => sum + tag.values.length, 0) },
        unchanged: { groups: 0, tags: 0, values: 0 },
        conflicts: [],
      });
      const catalog = await loadWorkspaceCatalog(ctx);
      const ruleKeys = template.tags.filter((tag) => tag.kind === 'rule').map((tag) => tag.key);
      for (const key of ruleKeys) expect(() => compileRules(catalog, { strictTag: key }), `${template.key}.${key}`).not.toThrow();
      expect(compileRules(catalog).rules.map((rule) => rule.tag.key).sort()).toEqual([...ruleKeys].sort());
      // An expression a description quotes as an example (“abc_level >= "B级"”) is one that can be typed, in either language.
      for (const description of [template.description, template.description_en]) {
        for (const [, quoted] of description.matchAll(/“([^”]*[<>=][^”]*)”/g)) expect(compileExpression(quoted ?? '', catalog.catalog).diagnostics, `${template.key}: ${quoted}`).toEqual([]);
      }
    }
  });

  it('applies a template asked for twice at once once, and tells the second call it was already there', async () => {
    const ctx = h.context();
    const template = listTemplates()[0];
    if (!template) throw new Error('no templates');
    const [first, second] = await Promise.all([applyTemplate(ctx, template.key), applyTemplate(ctx, template.key)]);
    expect(first?.created.tags).toBe(template.tags.length);
    expect(second).toMatchObject({ created: { groups: 0, tags: 0, values: 0 }, unchanged: { tags: template.tags.length }, conflicts: [] });
  });

  it('changes nothing when applied twice, and templates sharing a tag agree', async () => {
    const ctx = h.context();
    for (const template of listTemplates()) expect((await applyTemplate(ctx, template.key)).conflicts, template.key).toEqual([]);
    const before = await loadTags(ctx, { includeArchived: true });
    const groupsBefore = await listTagGroups(ctx);
    for (const template of listTemplates()) {
      const again = await applyTemplate(ctx, template.key);
      expect(again.created, template.key).toEqual({ groups: 0, tags: 0, values: 0 });
      expect(again.unchanged.tags).toBe(template.tags.length);
      expect(again.unchanged.groups).toBe(template.groups.length);
      expect(again.conflicts).toEqual([]);
    }
    expect(await loadTags(ctx, { includeArchived: true })).toEqual(before);
    expect(await listTagGroups(ctx)).toEqual(groupsBefore);
  });

  it('recognises a tag an earlier version of a template made under another key, reporting the key rather than making a second tag', async () => {
    const ctx = h.context();
    const general = showTemplate('general');
    const annual = general.tags.find((tag) => tag.key === 'annual_spend');
    const recency = general.tags.find((tag) => tag.key === 'order_recency');
    if (!annual || !recency) throw new Error('the general template lost its spend and recency tags');
    // The library as the earlier version left it: the two tags under the models' keys.
    await applyTemplate(ctx, 'general');
    for (const [tag, key, name] of [[annual, 'spend_band', annual.name], [recency, 'freshness', '新鲜度']] as const) await updateTag(ctx, tag.key, { key, name });
    const result = await applyTemplate(ctx, 'general');
    expect(result.created.tags).toBe(0);
    expect(result.conflicts).toEqual([
      { tag: 'annual_spend', field: 'key', template: 'annual_spend', workspace: 'spend_band' },
      { tag: 'order_recency', field: 'key', template: 'order_recency', workspace: 'freshness' },
      { tag: 'order_recency', field: 'name', template: '购买新鲜度', workspace: '新鲜度' },
    ]);
    expect(result.conflicts.map((conflict) => describeConflict(conflict, 'zh-CN'))[0]).toBe('标签 annual_spend：标识这里是“spend_band”，模板中是“annual_spend”；保留');
    // The model whose key the old tag holds says which key to give it.
    expect((await rejected(configureModel(ctx, 'spend_band', {}))).message).toContain('PATCH /api/v1/tags/spend_band with {"key": "annual_spend"}');
    // Once given the template's keys and names, the workspace can enable the two models.
    for (const [key, tag] of [['spend_band', annual], ['freshness', recency]] as const) await updateTag(ctx, key, { key: tag.key, name: tag.name });
    expect((await applyTemplate(ctx, 'general')).conflicts).toEqual([]);
    await configureModel(ctx, 'spend_band', {});
    await configureModel(ctx, 'freshness', {});
    expect((await getTag(ctx, 'freshness')).kind).toBe('model');
  });

  it('reports operator edits as conflicts and keeps the operator’s version', async () => {
    const ctx = h.context();
    await applyTemplate(ctx, 'restaurant');
    await updateTagValue(ctx, 'taste', 'spicy', { name: '香辣' });
    await updateTag(ctx, 'cuisine', { color: '#000000' });
    await removeTagValue(ctx, 'cuisine', 'japanese', {});
    await updateTagValue(ctx, 'party_size', 'one', { position: 3 });
    await updateTag(ctx, 'dining_occasion', { status: 'archived' });
    const result = await applyTemplate(ctx, '餐饮');
    expect(result.created).toEqual({ groups: 0, tags: 0, values: 0 });
    expect(result.unchanged).toMatchObject({ groups: 2, tags: 1 });
    expect(result.conflicts).toEqual(
      expect.arrayContaining([
        { tag: 'taste', value: 'spicy', field: 'name', template: '麻辣', workspace: '香辣' },
        { tag: 'cuisine', field: 'color', template: '#d4380d', workspace: '#000000' },
        { tag: 'cuisine', value: 'japanese', field: 'value', template: '日料', workspace: null },
        { tag: 'party_size', field: 'value_order', template: 'one, two, three_four, five_plus', workspace: 'two, three_four, five_plus, one' },
        { tag: 'dining_occasion', field: 'status', template: 'active', workspace: 'archived' },
      ]),
    );
    expect(result.conflicts).toHaveLength(5);
    expect((await getTag(ctx, 'taste')).values.find((value) => value.key === 'spicy')?.name).toBe('香辣');
    expect((await getTag(ctx, 'cuisine')).color).toBe('#000000');
    expect((await getTag(ctx, 'cuisine')).values.map((value) => value.key)).not.toContain('japanese');
    expect((await getTag(ctx, 'dining_occasion')).status).toBe('archived');
  });

  it('treats a key held by another kind of tag as a conflict, not an error', async () => {
    const staff = h.context('导购-王芳');
    await defineTag(staff, { key: 'taste', name: '口味', scope: 'personal', values: [{ key: 'spicy', name: '辣' }] });
    const ctx = h.context('admin');
    await defineTag(ctx, { key: 'cuisine', name: '菜系', cardinality: 'single', values: [{ key: 'sichuan', name: '川菜' }] });
    await createTagGroup(ctx, { key: 'dining_habit', name: '习惯' });
    // Another key already called what the template calls one of its tags: left out, not made ambiguous.
    await defineTag(ctx, { key: 'allergies', name: '忌口', cardinality: 'multi', values: [{ key: 'peanut', name: '花生' }] });
    const result = await applyTemplate(ctx, 'restaurant');
    expect(result.conflicts).toEqual(
      expect.arrayContaining([
        { tag: 'dietary_restriction', field: 'name_taken', template: '忌口', workspace: 'allergies' },
        { tag: 'taste', field: 'scope', template: 'enterprise', workspace: 'personal' },
        { tag: 'cuisine', field: 'cardinality', template: 'multi', workspace: 'single' },
        { group: 'dining_habit', field: 'name', template: '用餐习惯', workspace: '习惯' },
      ]),
    );
    expect(result.created).toEqual({ groups: 1, tags: 2, values: expect.any(Number) });
    expect((await getTag(staff, 'taste')).scope).toBe('personal');
  });

  it('names another staff member\'s personal tag in no conflict, neither its key nor its owner, as a refused tag is told of it', async () => {
    const staff = h.context('导购-王芳');
    await defineTag(staff, { key: 'taste', name: '口味', scope: 'personal', values: [{ key: 'spicy', name: '辣' }] });
    await defineTag(staff, { key: 'my_allergies', name: '忌口', scope: 'personal', values: [{ key: 'peanut', name: '花生' }] });
    const colleague = await applyTemplate(h.context('店长'), 'restaurant');
    expect(colleague.conflicts).toEqual(
      expect.arrayContaining([
        { tag: 'taste', field: 'scope', template: 'enterprise', workspace: 'personal' },
        { tag: 'dietary_restriction', field: 'name_taken', template: '忌口', workspace: null },
      ]),
    );
    expect(JSON.stringify(colleague.conflicts)).not.toMatch(/王芳|my_allergies/);
    expect(describeConflict({ tag: 'dietary_restriction', field: 'name_taken', template: '忌口', workspace: null })).toBe('tag dietary_restriction: its name "忌口" is taken here by another staff member\'s personal tag; not created');
    expect(describeConflict({ tag: 'dietary_restriction', field: 'name_taken', template: '忌口', workspace: null }, 'zh-CN')).toBe('标签 dietary_restriction：名称“忌口”在这里已被其他员工的个人标签使用；未创建');
    expect(describeConflict({ tag: 'taste', field: 'scope', template: 'enterprise', workspace: 'personal' }, 'zh-CN')).toBe('标签 taste：范围这里是“个人”，模板中是“企业”；保留');
    // Its owner is told of their own tags.
    expect((await applyTemplate(staff, 'restaurant')).conflicts).toEqual(
      expect.arrayContaining([
        { tag: 'taste', field: 'scope', template: 'enterprise', workspace: 'personal (导购-王芳)' },
        { tag: 'dietary_restriction', field: 'name_taken', template: '忌口', workspace: 'my_allergies' },
      ]),
    );
  });

  it('files a template group\'s tags under the workspace\'s group of that name, as a conflict', async () => {
    const ctx = h.context('admin');
    const food = await createTagGroup(ctx, { key: 'food', name: '饮食偏好' });
    const result = await applyTemplate(ctx, 'restaurant');
    expect(result.conflicts).toContainEqual({ group: 'dining_preference', field: 'name_taken', template: '饮食偏好', workspace: 'food' });
    expect((await listTagGroups(ctx)).map((group) => group.key)).not.toContain('dining_preference');
    expect((await getTag(ctx, 'cuisine')).groupId).toBe(food.id);
    // Applied again, the tags are where the first apply put them: the group is said once, the tags are in place.
    const again = await applyTemplate(ctx, 'restaurant');
    expect(again.conflicts).toEqual([{ group: 'dining_preference', field: 'name_taken', template: '饮食偏好', workspace: 'food' }]);
    expect(again.created).toEqual({ groups: 0, tags: 0, values: 0 });
    expect(again.unchanged.tags).toBe(showTemplate('restaurant').tags.length);
  });

  it('takes no model\'s tag for a template tag: neither one under a key the template used before, nor one under the template tag\'s key', async () => {
    const ctx = h.context('admin');
    await configureModel(ctx, 'spend_band', {});
    await configureModel(ctx, 'freshness', {});
    await configureModel(ctx, 'interests', {});
    const general = await applyTemplate(ctx, 'general');
    // 年消费额 and 购买新鲜度 are made beside the models' 消费金额段 and 新鲜度, which stay as they are.
    expect(general.conflicts).toEqual([]);
    expect(general.created.tags).toBe(showTemplate('general').tags.length);
    expect((await getTag(ctx, 'annual_spend')).kind).toBe('rule');
    expect((await getTag(ctx, 'order_recency')).name).toBe('购买新鲜度');
    expect((await getTag(ctx, 'spend_band')).kind).toBe('model');
    // The model's 行为兴趣 holds the key of the retail template's 兴趣爱好: one conflict, not a list of the model tag's values.
    const retail = await applyTemplate(ctx, 'retail');
    expect(retail.conflicts).toEqual([{ tag: 'interests', field: 'kind', template: 'manual', workspace: 'model' }]);
    expect(retail.conflicts.map((conflict) => describeConflict(conflict, 'zh-CN'))).toEqual(['标签 interests：类型这里是“模型”，模板中是“手动”；保留']);
    expect((await getTag(ctx, 'interests')).kind).toBe('model');
  });

  it('fits a workspace whose library was built by hand to the same definitions (as earlier demos did)', async () => {
    const ctx = h.context();
    const retail = showTemplate('retail');
    for (const group of retail.groups) await createTagGroup(ctx, tagGroupInputSchema.parse(group));
    for (const tag of retail.tags) await createTag(ctx, tagInputSchema.parse(tag));
    const result = await applyTemplate(ctx, 'retail');
    expect(result).toMatchObject({ created: { groups: 0, tags: 0, values: 0 }, conflicts: [] });
  });

  it('refuses an unknown template with a hint and writes nothing', async () => {
    const ctx = h.context();
    const error = await rejected(applyTemplate(ctx, 'levles'));
    expect(error.code).toBe('TEMPLATE_NOT_FOUND');
    expect(error.params.hint).toMatchObject({ en: expect.stringContaining('levels'), 'zh-CN': expect.stringContaining('levels') });
    expect(await listTagGroups(ctx)).toEqual([]);
  });

  it('tags customers at once with the template’s rules', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [
      { id: 'C1', region: '四川', birthday: '1990-05-01' },
      { id: 'C2', region: '广东', birthday: '2010-01-01' },
    ]);
    await applyTemplate(ctx, 'liquor');
    await applyTemplate(ctx, 'general');
    const labels = async (id: string) => (await getPortrait(ctx, id)).tags.map((tag) => tag.label).sort();
    expect(await labels('C1')).toEqual(['年龄段: 35-44岁', '饮酒地域: 川渝']);
    expect(await labels('C2')).toEqual(['年龄段: 18岁以下', '饮酒地域: 其他地区']);
  });
});
