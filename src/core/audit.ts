// The audit trail's vocabulary (DOMAIN: "an audit trail"): each change the API or the command
// line can make, named once in both languages, so that the trail reads as what people did
// ("created a tag") rather than as routes.
import { localized, type LocalizedText } from './locale.js';

/** API actions by method and declared path (without the `/api/v1` prefix); CLI actions by command. */
export const AUDIT_ACTIONS: Readonly<Record<string, LocalizedText>> = {
  'POST /workspaces': localized('created a workspace', '创建工作空间'),
  'POST /fields': localized('declared a custom field', '声明自定义字段'),
  'POST /customers': localized('created or updated customers', '新增或更新客户'),
  'DELETE /customers/:id': localized('erased a customer on request', '按要求删除客户个人信息'),
  'POST /customers/:id/merge': localized('merged two customer records', '合并客户记录'),
  'POST /customers/:id/tags': localized('tagged a customer', '给客户打标签'),
  'DELETE /customers/:id/tags/:tag': localized("removed a customer's tag", '移除客户的标签'),
  'POST /events/journal/:batch/retry': localized('retried an accepted event batch', '重试已接收的事件批次'),
  'POST /tag-groups': localized('created a tag group', '创建标签分组'),
  'PATCH /tag-groups/:group': localized('changed a tag group', '修改标签分组'),
  'DELETE /tag-groups/:group': localized('deleted a tag group', '删除标签分组'),
  'POST /tags': localized('created a tag', '创建标签'),
  'PATCH /tags/:tag': localized('changed a tag', '修改标签'),
  'POST /tags/:tag/values': localized('added a tag value', '添加标签值'),
  'PATCH /tags/:tag/values/:value': localized('changed a tag value', '修改标签值'),
  'DELETE /tags/:tag/values/:value': localized('removed a tag value', '删除标签值'),
  'POST /tags/:tag/assign': localized('tagged customers in bulk', '批量打标签'),
  'POST /tags/:tag/unassign': localized('untagged customers in bulk', '批量移除标签'),
  'POST /templates/:template/apply': localized('applied a tag library template', '应用标签库模板'),
  'POST /metrics': localized('defined a metric', '定义指标'),
  'PUT /models/:model': localized('enabled or configured a model', '启用或配置模型'),
  'DELETE /models/:model': localized('disabled a model', '停用模型'),
  'POST /models/:model/refresh': localized('refreshed a model', '刷新模型'),
  'POST /segments': localized('saved a segment', '保存人群'),
  'PATCH /segments/:segment': localized('changed a segment', '修改人群'),
  'DELETE /segments/:segment': localized('deleted a segment', '删除人群'),
  'POST /segments/tag': localized('tagged the customers of a segment', '给人群中的客户打标签'),
  'POST /tags/:tag/transitions/tag': localized('tagged the customers who moved between a tag\'s values', '给标签值之间流转的客户打标签'),
  'POST /segments/:segment/snapshots': localized('took a segment snapshot', '保存人群快照'),
  'POST /segments/export': localized('exported customers', '导出客户'),
  'GET /segments/:segment/export': localized('exported a segment', '导出人群'),
  'GET /segments/:segment/snapshots/:snapshot/export': localized('exported a segment snapshot', '导出人群快照'),
  'GET /tags/:tag/transitions/export': localized('exported the customers who moved between a tag\'s values', '导出标签值之间流转的客户'),
  'POST /imports/:kind': localized('imported a file', '导入文件'),
  'POST /webhooks': localized('created a webhook', '创建 Webhook'),
  'PATCH /webhooks/:webhook': localized('changed a webhook', '修改 Webhook'),
  'DELETE /webhooks/:webhook': localized('deleted a webhook', '删除 Webhook'),
  'POST /webhooks/:webhook/test': localized('sent a test post to a webhook', '向 Webhook 发送测试推送'),
  'POST /care/plans': localized('saved a care plan', '保存关怀计划'),
  'PATCH /care/plans/:plan': localized('changed a care plan', '修改关怀计划'),
  'DELETE /care/plans/:plan': localized('deleted a care plan', '删除关怀计划'),
  'PATCH /care/reminders/:reminder': localized('closed a care reminder', '处理关怀提醒'),
  'POST /care/run': localized('ran a round of care', '运行关怀'),
  'GET /care/reminders': localized('read care reminders', '查看关怀提醒'),
  'GET /customers': localized('listed customers', '查看客户列表'),
  'GET /customers/lookup': localized('looked a customer up by an identity', '按身份标识查找客户'),
  'GET /customers/:id': localized("read a customer's portrait", '查看客户画像'),
  'GET /customers/:id/history': localized("read a customer's tag history", '查看客户标签历史'),
  'GET /segments/:segment/members': localized("read a segment's members", '查看人群成员'),
  'POST /segments/preview': localized("previewed an expression's customers", '预览筛选出的客户'),
  'GET /tags/:tag/transitions/members': localized("read the customers who moved between a tag's values", '查看标签值之间流转的客户'),
  'POST /tokens': localized('created an access token', '创建访问令牌'),
  'DELETE /tokens/:name': localized('revoked an access token', '吊销访问令牌'),
  'token create': localized('created an access token', '创建访问令牌'),
  'token revoke': localized('revoked an access token', '吊销访问令牌'),
  'customer erase': localized('erased a customer on request', '按要求删除客户个人信息'),
};

/** What an action is called; an action not in the table (a newer route) by its own name. */
export function auditActionText(action: string): LocalizedText {
  return AUDIT_ACTIONS[action] ?? localized(action, action);
}
