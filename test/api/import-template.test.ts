// The template an operator fills in for an import: the header row the importer reads, in the
// language asked for, with the workspace's custom fields; its example row imports as it stands.
import { unzipSync, strFromU8 } from 'fflate';
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

interface Template {
  name: string;
  header: string[];
  example: string[];
}

forEachStore('API: import templates', (h) => {
  const api = useServer(h);
  const zh = { 'accept-language': 'zh-CN' };

  async function template(kind: string, headers: Record<string, string> = {}): Promise<Template> {
    const reply = await api.get(`/api/v1/imports/${kind}/template?format=json`, headers);
    expect(reply.status).toBe(200);
    return reply.body as unknown as Template;
  }

  /** The template's header and example as a CSV file, imported. */
  async function importExample(kind: string, filled: Template) {
    const line = (cells: string[]) => cells.map((cell) => (/[",]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',');
    const reply = await api.post(`/api/v1/imports/${kind}`, { text: `${line(filled.header)}\n${line(filled.example)}\n` });
    expect(reply.status).toBe(200);
    return reply.body as { accepted: number; rejected: number; rejections: unknown[] };
  }

  it('heads a customers file as the importer reads it, custom fields by name in Chinese, and its example imports', async () => {
    await api.post('/api/v1/fields', { key: 'joined', name: '入会日期', type: 'date' });
    expect((await api.post('/api/v1/fields', { key: 'tier', name: '档位', type: 'enum', options: ['银', '金'] })).status).toBe(201);
    expect((await api.post('/api/v1/fields', { key: 'backup_phone', name: '手机号', type: 'string' })).status).toBe(201);
    const chinese = await template('customers', zh);
    expect(chinese.name).toBe('客户导入模板');
    expect(chinese.header).toEqual(['编号', '姓名', '类型', '性别', '生日', '城市', '地区', '职业', '会员等级', '来源渠道', '注册时间', '手机', '邮箱', '会员卡号', 'backup_phone', '入会日期', '档位']);
    // A field named 手机号 is headed by its key: the importer reads 手机号 as the phone.
    expect(chinese.example.slice(-3)).toEqual(['', '', '银']);
    expect(await importExample('customers', chinese)).toMatchObject({ accepted: 1, rejected: 0 });
    expect((await api.get('/api/v1/customers/C0001')).body).toMatchObject({ name: '张伟', type: 'individual', gender: 'male', birthday: '1990-05-17', city: '上海', member_level: '金卡', custom: { tier: '银' } });

    const english = await template('customers');
    expect(english.header.slice(0, 3)).toEqual(['id', 'name', 'type']);
    expect(english.header.slice(-3)).toEqual(['backup_phone', 'joined', 'tier']);
    expect(await importExample('customers', english)).toMatchObject({ accepted: 1, rejected: 0 });
    expect((await api.get('/api/v1/customers/C0001')).body).toMatchObject({ name: 'Zhang Wei', city: 'Shanghai', identities: expect.arrayContaining([{ kind: 'phone', value: '13800138000' }]) });
  });

  it("gives events and assignments examples that import, the assignment naming one of the workspace's manual tags", async () => {
    const empty = await template('assignments', zh);
    expect(empty.header).toEqual(['客户', '标签', '标签值', '过期时间']);
    expect(empty.example).toEqual(['', '', '', '']);
    await api.post('/api/v1/tags', { key: 'hobby', name: '兴趣爱好', values: [{ key: 'golf', name: '高尔夫' }] });

    const events = await template('events', zh);
    expect(events.header.slice(0, 3)).toEqual(['客户', '事件', '时间']);
    expect(await importExample('events', events)).toMatchObject({ accepted: 1, rejected: 0 });
    const { recent_events: recent } = (await api.get('/api/v1/customers/C0001')).body as { recent_events: { type: string; properties: Record<string, unknown> }[] };
    expect(recent.find((event) => event.type === 'order_paid')?.properties).toEqual({ order_id: 'DD20260601001', amount: 299, channel: 'online' });

    const assignments = await template('assignments');
    expect(assignments.header).toEqual(['customer_id', 'tag', 'value', 'expires_at']);
    expect(assignments.example.slice(0, 3)).toEqual(['C0001', '兴趣爱好', '高尔夫']);
    expect(await importExample('assignments', assignments)).toMatchObject({ accepted: 1, rejected: 0 });
    expect(((await api.get('/api/v1/customers/C0001')).body as { tags: { label: string }[] }).tags.map((tag) => tag.label)).toContain('兴趣爱好: 高尔夫');
  });

  it('downloads the header alone as CSV with a byte-order mark or as a workbook, named in the language asked for', async () => {
    const csv = await api.get('/api/v1/imports/customers/template', zh);
    expect(csv.status).toBe(200);
    expect(csv.contentType).toMatch(/^text\/csv/);
    expect(csv.text).toBe('\uFEFF编号,姓名,类型,性别,生日,城市,地区,职业,会员等级,来源渠道,注册时间,手机,邮箱,会员卡号\r\n');
    expect(csv.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('客户导入模板.csv')}`);

    const workbook = await api.get('/api/v1/imports/events/template?format=xlsx');
    expect(workbook.status).toBe(200);
    expect(workbook.headers['content-disposition']).toContain('events-template.xlsx');
    const sheet = strFromU8(unzipSync(new Uint8Array(workbook.bytes))['xl/worksheets/sheet1.xml'] ?? new Uint8Array());
    for (const heading of ['customer_id', 'type', 'occurred_at', 'amount']) expect(sheet).toContain(heading);
    expect(sheet).not.toContain('order_paid');

    const refused = await api.get('/api/v1/imports/customers/template?format=pdf');
    expect(refused.status).toBe(400);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect((await api.get('/api/v1/imports/orders/template')).status).toBe(400);
  });

  it('answers each format in a media type the OpenAPI document lists for it, a file with its Content-Disposition', async () => {
    type Operation = { responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }> };
    const document = (await api.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const documented = document.paths['/api/v1/imports/{kind}/template']?.get?.responses['200'];
    for (const format of ['csv', 'xlsx', 'json']) {
      const reply = await api.get(`/api/v1/imports/customers/template?format=${format}`);
      expect(reply.status).toBe(200);
      expect({ format, listed: Object.keys(documented?.content ?? {}) }).toEqual({ format, listed: expect.arrayContaining([reply.contentType.split(';')[0]]) });
    }
    expect(Object.keys(documented?.headers ?? {})).toEqual(['Content-Disposition']);
  });
});
