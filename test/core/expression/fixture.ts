// A small catalog in the shape of a Chinese retailer's tag library, shared by the tests.
import type { AttributeValue, BoundExpression, CustomerView, ExpressionCatalog } from '../../../src/core/expression/index.js';
import { compileExpression } from '../../../src/core/expression/index.js';

export const catalog: ExpressionCatalog = {
  tags: [
    {
      key: 'rfm',
      name: 'RFM等级',
      cardinality: 'single',
      ordered: false,
      values: [
        { key: 'important_value', name: '重要价值客户', order: 0 },
        { key: 'important_keep', name: '重要保持客户', order: 1 },
        { key: 'general', name: '一般客户', order: 2 },
      ],
    },
    {
      key: 'lifecycle',
      name: '生命周期',
      cardinality: 'single',
      ordered: true,
      values: [
        { key: 'new', name: '新客户', order: 0 },
        { key: 'growing', name: '成长客户', order: 1 },
        { key: 'mature', name: '成熟客户', order: 2 },
        { key: 'loyal', name: '忠诚客户', order: 3 },
      ],
    },
    {
      key: 'interests',
      name: '兴趣',
      cardinality: 'multi',
      ordered: false,
      values: [
        { key: 'golf', name: '高尔夫', order: 0 },
        { key: 'fishing', name: '钓鱼', order: 1 },
        { key: 'tea', name: '茶艺', order: 2 },
      ],
    },
    {
      key: 'status',
      name: '客户状态',
      cardinality: 'single',
      ordered: false,
      values: [
        { key: 'active', name: '活跃客户', order: 0 },
        { key: 'churned', name: '流失客户', order: 1 },
      ],
    },
    { key: 'vip', name: 'VIP', cardinality: 'single', ordered: false, values: [{ key: 'yes', name: '是', order: 0 }] },
    { key: 'level', name: 'RFM 等级 (旧)', cardinality: 'single', ordered: true, values: [{ key: '1', name: '一级', order: 0 }, { key: '2', name: '二级', order: 1 }] },
  ],
  fields: [
    { key: 'city', name: '城市', type: 'string' },
    { key: 'birthday', name: '生日', type: 'date' },
    { key: 'gender', name: '性别', type: 'enum', options: ['male', 'female', 'unknown'] },
    { key: 'first_seen_at', type: 'timestamp' },
    { key: 'phone', type: 'string' },
    { key: 'email', type: 'string' },
    { key: 'member_level', name: '会员等级', type: 'string' },
    { key: 'is_member', name: '是否会员', type: 'boolean' },
    { key: 'age', name: '年龄', type: 'number' },
    { key: 'random_bucket', name: '随机分组号', type: 'number' },
    { key: 'has_phone', name: '有手机号', type: 'boolean' },
    { key: 'has_email', name: '有邮箱', type: 'boolean' },
    { key: 'has_wechat', name: '有微信', type: 'boolean' },
    { key: 'has_member_card', name: '有会员卡号', type: 'boolean' },
  ],
  metrics: [
    { key: 'spend_365d', name: '近一年消费', type: 'number' },
    { key: 'last_order_at', name: '最近下单时间', type: 'timestamp' },
    { key: 'favorite_store', type: 'string' },
  ],
  segments: [
    { key: 'high_value', name: '高价值人群' },
    { key: 'dormant', name: '沉睡人群' },
  ],
};

/** Compiles against the fixture catalog and fails the test with the diagnostics if it does not check. */
export function bind(source: string): BoundExpression {
  const result = compileExpression(source, catalog);
  if (result.bound === undefined) throw new Error(`did not compile: ${source}\n${JSON.stringify(result.diagnostics, null, 2)}`);
  return result.bound;
}

export interface CustomerSketch {
  tags?: Record<string, string[]>;
  fields?: Record<string, AttributeValue>;
  metrics?: Record<string, AttributeValue>;
  segments?: string[];
}

export function customer(sketch: CustomerSketch = {}): CustomerView {
  const segments = new Set(sketch.segments ?? []);
  return {
    tags: new Map(Object.entries(sketch.tags ?? {}).map(([key, values]) => [key, new Set(values)])),
    fields: sketch.fields ?? {},
    metrics: sketch.metrics ?? {},
    segments: (key) => segments.has(key),
  };
}

/** A copy of a tree without `span` properties, to compare trees "modulo positions". */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'span').map(([key, inner]) => [key, withoutSpans(inner)]));
  }
  return value;
}
