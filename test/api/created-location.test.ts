// Every call that answers 201 Created names what it made in its Location header where that has
// an address of its own to read, the OpenAPI document says so for each, and the address reads
// back what was made (keys in Chinese, so percent-encoded); the rest send none.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>;
}

/** Each call that creates, in an order that lets each find what it needs; the token last, as the first one closes the API. */
const CREATIONS: readonly { operation: string; url: string; body: unknown; at?: string }[] = [
  { operation: 'POST /api/v1/tag-groups', url: '/api/v1/tag-groups', body: { key: '兴趣', name: '兴趣分组' }, at: `/api/v1/tag-groups/${encodeURIComponent('兴趣')}` },
  { operation: 'POST /api/v1/tags', url: '/api/v1/tags', body: { key: '服务阶段', name: '服务阶段名', cardinality: 'single', group: '兴趣', values: [{ key: 'pre_sale', name: '售前' }] }, at: `/api/v1/tags/${encodeURIComponent('服务阶段')}` },
  { operation: 'POST /api/v1/tags/{tag}/values', url: `/api/v1/tags/${encodeURIComponent('服务阶段')}/values`, body: { key: 'after_sale', name: '售后' } },
  { operation: 'POST /api/v1/segments', url: '/api/v1/segments', body: { key: '高价值', name: '高价值人群', expression: 'id exists' }, at: `/api/v1/segments/${encodeURIComponent('高价值')}` },
  { operation: 'POST /api/v1/segments/{segment}/snapshots', url: `/api/v1/segments/${encodeURIComponent('高价值')}/snapshots`, body: {} },
  { operation: 'POST /api/v1/care/plans', url: '/api/v1/care/plans', body: { key: '购后感谢', name: '购后感谢计划', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }] }, at: `/api/v1/care/plans/${encodeURIComponent('购后感谢')}` },
  { operation: 'POST /api/v1/webhooks', url: '/api/v1/webhooks', body: { url: 'https://crm.example.com/hook' } },
  { operation: 'POST /api/v1/fields', url: '/api/v1/fields', body: { key: 'shoe_size', name: '鞋码', type: 'number' } },
  { operation: 'POST /api/v1/metrics', url: '/api/v1/metrics', body: { key: 'views', name: '浏览次数', aggregation: 'count', event_type: 'product_viewed' } },
  { operation: 'POST /api/v1/workspaces', url: '/api/v1/workspaces', body: { key: 'location-branch', name: '分店' } },
  { operation: 'POST /api/v1/tokens', url: '/api/v1/tokens', body: { name: '店长', role: 'admin' } },
];

/** What these make has no address of its own to GET: a value is read with its tag, a snapshot through its segment's list, the rest through their lists. */
const WITHOUT_ADDRESS = [
  'POST /api/v1/tags/{tag}/values',
  'POST /api/v1/segments/{segment}/snapshots',
  'POST /api/v1/webhooks',
  'POST /api/v1/fields',
  'POST /api/v1/metrics',
  'POST /api/v1/workspaces',
  'POST /api/v1/tokens',
];

forEachStore('API: where what a call made is read', (h) => {
  const api = useServer(h);

  it('names in Location the address of what each 201 made, which GET answers with it, as the OpenAPI document declares', async () => {
    const document = (await api.get('/api/v1/openapi.json')).body as unknown as Document;
    const creating = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).filter(([, operation]) => operation.responses['201'] !== undefined).map(([method]) => `${method.toUpperCase()} ${path}`));
    // Every call that answers 201 is walked here.
    expect(creating.sort()).toEqual(CREATIONS.map((creation) => creation.operation).sort());
    const unlocated: string[] = [];
    for (const { operation, url, body, at } of CREATIONS) {
      const made = await api.post(url, body);
      expect({ operation, status: made.status }).toEqual({ operation, status: 201 });
      const path = operation.split(' ')[1] ?? '';
      const declared = document.paths[path]?.post?.responses['201']?.headers?.Location !== undefined;
      if (!declared) {
        expect({ operation, location: made.headers.location }).toEqual({ operation, location: undefined });
        unlocated.push(operation);
        continue;
      }
      const location = String(made.headers.location);
      expect({ operation, location }).toEqual({ operation, location: at });
      const read = await api.get(location);
      expect({ operation, location, status: read.status, key: read.body.key, name: read.body.name }).toEqual({ operation, location, status: 200, key: made.body.key, name: made.body.name });
    }
    expect(unlocated).toEqual(WITHOUT_ADDRESS);
    expect(CREATIONS.filter((creation) => creation.at === undefined).map((creation) => creation.operation)).toEqual(WITHOUT_ADDRESS);
  });
});
