// An assignments row naming a value its tag does not have is rejected with what the operator
// needs to put it right: the tag's values, and, where the cell lists several of a tag that holds
// several (高尔夫|钓鱼, as identity columns take several), that each value goes on a row of its own.
// One naming a tag there is not says which tag was meant: one a letter or two away, or the tag
// whose value the tag column holds.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

forEachStore('API: an assignment of a value its tag does not have', (h) => {
  const api = useServer(h);

  async function reasons(text: string, language: string): Promise<[number, string, string][]> {
    const reply = await api.post('/api/v1/imports/assignments', { text }, { 'accept-language': language });
    expect(reply.status).toBe(200);
    return (reply.body.rejections as { line: number; code: string; reason: string }[]).map((r) => [r.line, r.code, r.reason]);
  }

  it('names the tag’s values, and asks for a row per value where the cell lists several', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'V1', name: '张伟' }] });
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }, { key: 'during', name: '售中' }, { key: 'after', name: '售后' }] });
    await api.post('/api/v1/tags', { key: 'interests', name: '兴趣爱好', cardinality: 'multi', values: [{ key: 'golf', name: '高尔夫' }, { key: 'fishing', name: '钓鱼' }] });
    const text = ['客户,标签,标签值', 'V1,服务阶段,潜水', 'V1,兴趣爱好,高尔夫|钓鱼', 'V1,兴趣爱好,"高尔夫、钓鱼"', 'V1,兴趣爱好,高尔夫|潜水', 'V1,服务阶段,售前|售后'].join('\n');
    expect(await reasons(text, 'zh-CN')).toEqual([
      [2, 'TAG_VALUE_NOT_FOUND', '标签「服务阶段」没有值「潜水」；它的值有：售前、售中、售后'],
      [3, 'TAG_VALUE_NOT_FOUND', '标签「兴趣爱好」没有值「高尔夫|钓鱼」：一行只写一个值，请把「高尔夫」「钓鱼」分成 2 行'],
      [4, 'TAG_VALUE_NOT_FOUND', '标签「兴趣爱好」没有值「高尔夫、钓鱼」：一行只写一个值，请把「高尔夫」「钓鱼」分成 2 行'],
      [5, 'TAG_VALUE_NOT_FOUND', '标签「兴趣爱好」没有值「高尔夫|潜水」；它的值有：高尔夫、钓鱼'],
      [6, 'TAG_VALUE_NOT_FOUND', '标签「服务阶段」没有值「售前|售后」；它的值有：售前、售中、售后'],
    ]);
    expect(await reasons(text, 'en')).toEqual([
      [2, 'TAG_VALUE_NOT_FOUND', 'tag "服务阶段" has no value "潜水"; its values are 售前, 售中, 售后'],
      [3, 'TAG_VALUE_NOT_FOUND', 'tag "兴趣爱好" has no value "高尔夫|钓鱼": write one value a row (2 rows: "高尔夫", "钓鱼")'],
      [4, 'TAG_VALUE_NOT_FOUND', 'tag "兴趣爱好" has no value "高尔夫、钓鱼": write one value a row (2 rows: "高尔夫", "钓鱼")'],
      [5, 'TAG_VALUE_NOT_FOUND', 'tag "兴趣爱好" has no value "高尔夫|潜水"; its values are 高尔夫, 钓鱼'],
      [6, 'TAG_VALUE_NOT_FOUND', 'tag "服务阶段" has no value "售前|售后"; its values are 售前, 售中, 售后'],
    ]);
  });

  it('names the first values of a tag with many, and how many more it has', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'V2', name: '李娜' }] });
    const values = Array.from({ length: 25 }, (_, i) => ({ key: `c${String(i + 1)}`, name: `城市${String(i + 1)}` }));
    await api.post('/api/v1/tags', { key: 'cities', name: '常去城市', cardinality: 'multi', values });
    const first = values.slice(0, 20).map((v) => v.name);
    expect(await reasons('客户,标签,标签值\nV2,常去城市,火星\n', 'zh-CN')).toEqual([[2, 'TAG_VALUE_NOT_FOUND', `标签「常去城市」没有值「火星」；它的值有：${first.join('、')} 等 25 个`]]);
    expect(await reasons('customer_id,tag,value\nV2,cities,Mars\n', 'en')).toEqual([[2, 'TAG_VALUE_NOT_FOUND', `tag "cities" has no value "Mars"; its values are ${first.join(', ')} and 5 more`]]);
  });

  it('names the tag meant by a tag the workspace does not have', async () => {
    await api.post('/api/v1/customers', { customers: [{ id: 'V3', name: '王芳' }] });
    await api.post('/api/v1/tags', { key: 'stage', name: '服务阶段', values: [{ key: 'pre', name: '售前' }] });
    await api.post('/api/v1/tags', { key: 'interests', name: '兴趣爱好', cardinality: 'multi', values: [{ key: 'golf', name: '高尔夫' }] });
    const text = ['客户,标签,标签值', 'V3,服务阶断,售前', 'V3,高尔夫,高尔夫', 'V3,intrests,golf', 'V3,会员星级,五星'].join('\n');
    expect(await reasons(text, 'zh-CN')).toEqual([
      [2, 'TAG_NOT_FOUND', '标签「服务阶断」不存在；您是不是要找「服务阶段」？'],
      [3, 'TAG_NOT_FOUND', '标签「高尔夫」不存在：「高尔夫」是标签「兴趣爱好」的值，标签一列请写「兴趣爱好」'],
      [4, 'TAG_NOT_FOUND', '标签「intrests」不存在；您是不是要找「interests」？'],
      [5, 'TAG_NOT_FOUND', '标签「会员星级」不存在'],
    ]);
    expect(await reasons(text, 'en')).toEqual([
      [2, 'TAG_NOT_FOUND', 'tag "服务阶断" does not exist; did you mean "服务阶段"?'],
      [3, 'TAG_NOT_FOUND', 'tag "高尔夫" does not exist: "高尔夫" is a value of tag "兴趣爱好"; write "兴趣爱好" in the tag column'],
      [4, 'TAG_NOT_FOUND', 'tag "intrests" does not exist; did you mean "interests"?'],
      [5, 'TAG_NOT_FOUND', 'tag "会员星级" does not exist'],
    ]);
  });
});
