// `tagbase model enable` where another tag holds the model's key: the way out is said with the
// command's own options (`--tag-key`, `tagbase tag update --key`), as a shell user types them,
// not with the API's body (`{"tag_key": …}`) and path (`PATCH /api/v1/tags/…`), in both languages,
// on SQLite and PostgreSQL.
import { describe, expect, it, vi } from 'vitest';
import { storeKinds } from '../support/stores.js';
import { commandStore } from '../cli/own-store.js';

vi.setConfig({ testTimeout: 120_000 });

const CHINESE = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

for (const kind of storeKinds()) {
  describe(`tagbase model enable with the model's key taken [${kind}]`, () => {
    const { run } = commandStore(kind, 'model-key-taken', 'id,name\nM1,张伟\n');

    it('suggests --tag-key and tag update --key rather than the API', async () => {
      expect(await run(['tag', 'create', '贵宾客户', '--key', 'vip', '--values', '是'])).toMatchObject({ code: 0 });

      const english = await run(['model', 'enable', 'vip']);
      expect(english).toMatchObject({ code: 1, stdout: '' });
      expect(english.stderr).toBe(
        'error MODEL_CONFLICT: Model "vip" cannot be enabled: the manual tag "贵宾客户" already uses the key "vip"; give the model\'s tag another key (tagbase model enable vip --tag-key vip_model), or give that tag another key first (tagbase tag update vip --key NEW_KEY)\n',
      );
      const chinese = await run(['model', 'enable', 'vip'], CHINESE);
      expect(chinese).toMatchObject({ code: 1, stdout: '' });
      expect(chinese.stderr).toBe(
        '错误 MODEL_CONFLICT：无法启用模型「vip」：手工标签「贵宾客户」已使用标识「vip」，请给模型的标签另取标识（tagbase model enable vip --tag-key vip_model），或先给该标签换一个标识（tagbase tag update vip --key 新标识）\n',
      );

      // A key the user chose that is taken too: choose another.
      const chosen = await run(['model', 'enable', 'vip', '--tag-key', 'vip']);
      expect(chosen.stderr).toBe('error MODEL_CONFLICT: Model "vip" cannot be enabled: the manual tag "贵宾客户" already uses the key "vip"; choose another --tag-key\n');
      expect((await run(['model', 'enable', 'vip', '--tag-key', 'vip'], CHINESE)).stderr).toBe('错误 MODEL_CONFLICT：无法启用模型「vip」：手工标签「贵宾客户」已使用标识「vip」，请换一个 --tag-key\n');

      // The way it names works.
      expect(await run(['model', 'enable', 'vip', '--tag-key', 'vip_model'])).toMatchObject({ code: 0 });
    });
  });
}
