// `tagbase tag create` and `tagbase tag update|edit`: a tag made and changed from the terminal as
// POST /api/v1/tags and PATCH /api/v1/tags/{tag} (with its values' calls) make and change it, on
// SQLite and PostgreSQL; the API answers for what the command saved.
import { describe, expect, it, vi } from 'vitest';
import { storeKinds } from '../support/stores.js';
import { apiAnswer } from './api-answer.js';
import { commandStore } from './own-store.js';
import { ENGLISH } from './run-tagbase.js';

vi.setConfig({ testTimeout: 120_000 });

const CHINESE = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

interface TagAnswer {
  key: string;
  name: string;
  color: string | null;
  description: string | null;
  group: string | null;
  cardinality: string;
  ordered: boolean;
  default_expiry_days: number | null;
  kind: string;
  status: string;
  customers: number;
  values: { key: string; name: string; condition: string | null }[];
}

for (const kind of storeKinds()) {
  describe(`tagbase tag create and tag update [${kind}]`, () => {
    const { url, run } = commandStore(kind, 'tag-create', 'id,name,city\nA,何军,杭州\nB,梁静,北京\nC,黄磊,北京\n');
    const tag = async (key: string) => (await apiAnswer(url(), `/tags/${encodeURIComponent(key)}`)) as TagAnswer;
    /** A command that must fail: its one line on standard error, nothing on standard output. */
    const refused = async (args: string[], env: Record<string, string> = ENGLISH) => {
      const ran = await run(args, env);
      expect([args, ran.code, ran.stdout]).toEqual([args, 1, '']);
      return ran.stderr;
    };


    it('makes a tag with its values as POST /tags does: a name that can be a key is its key, KEY=NAME where it is not', async () => {
      const made = await run(['tag', 'create', 'RFM等级', '--values', '重要价值客户,重要发展客户', '--ordered', '-a', '运营-小李']);
      expect([made.code, made.stdout, made.stderr]).toEqual([0, 'created tag "RFM等级" (RFM等级): a manual tag, one value a customer, ordered, shared with everyone\n  values: 重要价值客户 < 重要发展客户\n', '']);
      expect(await tag('RFM等级')).toMatchObject({ key: 'RFM等级', name: 'RFM等级', kind: 'manual', cardinality: 'single', ordered: true, status: 'active', values: [{ key: '重要价值客户', name: '重要价值客户' }, { key: '重要发展客户', name: '重要发展客户' }] });

      // Lists as people type them (， or 、 between values), the tag's other fields as the API's body names them.
      const chinese = await run(['tag', 'create', '兴趣爱好', '--key', 'interests', '-v', 'golf=高尔夫，tea=茶、书法', '--multi', '--color', '#1677ff', '--description', '顾客自述', '--expires-in', '180'], CHINESE);
      expect([chinese.code, chinese.stdout]).toEqual([0, '已创建标签「兴趣爱好」（interests）：手动标签，多选，企业标签（所有人可见）\n  值：golf=高尔夫, tea=茶, 书法\n']);
      expect(await tag('兴趣爱好')).toMatchObject({ key: 'interests', cardinality: 'multi', ordered: false, color: '#1677ff', description: '顾客自述', default_expiry_days: 180, values: [{ key: 'golf', name: '高尔夫' }, { key: 'tea', name: '茶' }, { key: '书法', name: '书法' }] });
      // The tag is there to be assigned at once.
      expect((await run(['tag', 'assign', 'interests', '茶', 'A', 'B'])).code).toBe(0);
      expect((await tag('interests')).customers).toBe(2);

      // A rule tag, each value given its condition by key or name, holds its customers as soon as it is made.
      const rule = await run(['tag', 'create', '城市分层', '-v', 'hz=杭州客户,bj=北京客户', '--kind', 'rule', '-c', 'hz=city = "杭州"', '-c', '北京客户=city = "北京"']);
      expect([rule.code, rule.stdout]).toEqual([0, 'created tag "城市分层" (城市分层): a rule tag, one value a customer, shared with everyone\n  values: hz=杭州客户, bj=北京客户\n  3 customers hold it by its rule\n']);
      expect((await tag('城市分层')).values.map((value) => [value.key, value.condition])).toEqual([['hz', 'city = "杭州"'], ['bj', 'city = "北京"']]);

      const audit = JSON.parse((await run(['audit', '--json', '-n', '50'])).stdout) as { items: { actor: string; action: string; target: string }[] };
      expect(audit.items.filter((entry) => entry.action === 'tag create').map((entry) => [entry.actor, entry.target]).reverse()).toEqual([
        ['运营-小李', `/tags/${encodeURIComponent('RFM等级')}`],
        ['cli', '/tags/interests'],
        ['cli', `/tags/${encodeURIComponent('城市分层')}`],
      ]);
    });

    it('refuses a tag in one readable line, nothing made: a name or key taken, a value empty or twice, a name that cannot be a key', async () => {
      expect(await refused(['tag', 'create', 'RFM等级', '--values', '甲,乙'])).toBe('error TAG_EXISTS: Tag "RFM等级" already exists.\n');
      expect(await refused(['tag', 'create', '客户分级', '--values', 'A级,,B级'])).toBe('error VALIDATION_FAILED: --values: a value is empty: write NAME or KEY=NAME\n');
      expect(await refused(['tag', 'create', '客户分级', '--values', 'A级,B级,A级'])).toBe('error VALIDATION_FAILED: --values: value key "A级" appears twice\n');
      expect(await refused(['tag', 'create', '客户分级', '--values', 'a=甲,b=甲'], CHINESE)).toBe('错误 VALIDATION_FAILED：--values：值名称「甲」出现了两次\n');
      expect(await refused(['tag', 'create', '客户分级', '--values', 'a='])).toBe('error VALIDATION_FAILED: --values "a=": give the value\'s name after =, KEY=NAME\n');
      expect(await refused(['tag', 'create', '客户分级'])).toBe('error VALIDATION_FAILED: give the tag\'s values with --values, such as --values 高,中,低 or --values high=高,low=低\n');
      expect(await refused(['tag', 'create', '2026 活动', '--values', '参加'])).toMatch(/^error VALIDATION_FAILED: the name "2026 活动" cannot be the tag's key \(a key is .*\): give one with --key\n$/);
      expect(await refused(['tag', 'create', '年份', '--values', '2026'])).toMatch(/^error VALIDATION_FAILED: --values "2026": the name cannot be the value's key \(.*\): give one as KEY=NAME, like v1=2026\n$/);
      expect(await refused(['tag', 'create', '客户分级', '--values', 'A级', '--color', 'red'])).toBe('error VALIDATION_FAILED: --color: a colour like #1677ff\n');
      expect(await refused(['tag', 'create', '客户分级', '--values', 'A级', '--group', '没有这个分组'])).toBe('error TAG_GROUP_NOT_FOUND: Tag group "没有这个分组" does not exist.\n');
      expect(await refused(['tag', 'create', '客户分级', '--values', 'a=A级,b=B级', '--kind', 'rule', '-c', 'a=true'])).toBe('error VALIDATION_FAILED: every value of a rule tag needs a condition: give one for "b" with -c b=EXPRESSION\n');
      expect(await refused(['tag', 'create', '客户分级', '--values', 'a=A级', '--kind', 'rule', '-c', 'c=true'])).toBe('error VALIDATION_FAILED: --condition "c=…": --values has no value "c"\n');
      expect(await refused(['tag', 'create', '客户分级', '--values', 'A级', '-c', 'A级=true'])).toBe('error VALIDATION_FAILED: --condition comes with --kind rule\n');
      const library = JSON.parse((await run(['tag', 'list', '--json'])).stdout) as { key: string }[];
      expect(library.map((each) => each.key).sort()).toEqual(['RFM等级', 'interests', '城市分层'].sort());
    });

    it('changes a tag as PATCH /tags/{tag} does, as tag update or tag edit, and adds and renames its values', async () => {
      const renamed = await run(['tag', 'edit', 'RFM等级', '--name', 'RFM分层', '--add-value', '一般价值客户', '--add-value', 'lost=流失客户', '-a', '运营-小李']);
      expect([renamed.code, renamed.stdout, renamed.stderr]).toEqual([0, 'changed tag "RFM分层" (RFM等级): a manual tag, shared with everyone; 0 customers hold it\n  values: 重要价值客户 < 重要发展客户 < 一般价值客户 < lost=流失客户\n', '']);
      expect(await tag('RFM等级')).toMatchObject({ name: 'RFM分层', ordered: true, values: [{ key: '重要价值客户' }, { key: '重要发展客户' }, { key: '一般价值客户' }, { key: 'lost', name: '流失客户' }] });

      const changed = await run(['tag', 'update', 'RFM分层', '--rename-value', 'lost=已流失客户', '--multi', '--no-ordered', '--expires-in', '30', '--color', '#ff4d4f'], CHINESE);
      expect([changed.code, changed.stdout]).toEqual([0, '已修改标签「RFM分层」（RFM等级）：手动标签，企业标签（所有人可见）；0 位客户持有\n  值：重要价值客户, 重要发展客户, 一般价值客户, lost=已流失客户\n']);
      expect(await tag('RFM等级')).toMatchObject({ cardinality: 'multi', ordered: false, default_expiry_days: 30, color: '#ff4d4f' });
      expect((await run(['tag', 'edit', 'RFM等级', '--no-expires-in', '--single', '--key', 'rfm'])).code).toBe(0);
      expect(await tag('rfm')).toMatchObject({ name: 'RFM分层', cardinality: 'single', default_expiry_days: null });

      const archived = await run(['tag', 'edit', 'rfm', '--archive']);
      expect(archived.stdout).toBe('changed tag "RFM分层" (rfm): a manual tag, shared with everyone; 0 customers hold it\n  archived: it can no longer be assigned; tag update --restore brings it back\n');
      expect((await tag('rfm')).status).toBe('archived');
      // A value named that the tag lacks is said before anything is saved: the tag stays archived.
      expect(await refused(['tag', 'edit', 'rfm', '--restore', '--rename-value', '没有这个值=新名称'])).toBe('error TAG_VALUE_NOT_FOUND: Tag "RFM分层" (rfm) has no value "没有这个值".\n');
      expect(await refused(['tag', 'edit', 'rfm', '--restore', '--add-value', '重要价值客户'])).toBe('error TAG_VALUE_EXISTS: Tag "RFM分层" (rfm) already has a value "重要价值客户".\n');
      expect((await tag('rfm')).status).toBe('archived');
      expect((await run(['tag', 'edit', 'rfm', '--restore'])).code).toBe(0);
      expect((await tag('rfm')).status).toBe('active');

      expect(await refused(['tag', 'edit', '没有这个标签', '--name', '新名称'])).toMatch(/^error TAG_NOT_FOUND: Tag "没有这个标签" does not exist\./);
      expect(await refused(['tag', 'edit', 'rfm', '--name', '兴趣爱好'])).toMatch(/^error TAG_NAME_TAKEN: /);
      expect(await refused(['tag', 'edit', 'rfm'])).toBe(
        'error VALIDATION_FAILED: nothing to change: give --name, --key, --description, --color, --group, --multi, --single, --ordered, --expires-in, --archive, --restore, --kind, --scope, --add-value or --rename-value\n',
      );
      expect(await refused(['tag', 'edit', 'rfm', '--multi', '--single'])).toBe('error VALIDATION_FAILED: --multi and --single ask for opposite things: give one\n');
      expect(await refused(['tag', 'edit', 'rfm', '--color', 'blue'], CHINESE)).toBe('错误 VALIDATION_FAILED：--color：应为形如 #1677ff 的颜色\n');
      expect(await refused(['tag', 'edit', 'rfm', '--add-value', '=甲'])).toBe('error VALIDATION_FAILED: --add-value "=甲": give the value\'s key before =, KEY=NAME\n');
      expect(await refused(['tag', 'edit', '城市分层', '--add-value', 'sh=上海客户'])).toMatch(/^error VALIDATION_FAILED: --add-value: every value of a rule tag needs a condition/);
      expect(await tag('rfm')).toMatchObject({ name: 'RFM分层', values: [{ key: '重要价值客户' }, { key: '重要发展客户' }, { key: '一般价值客户' }, { key: 'lost', name: '已流失客户' }] });
    });
  });
}
