// Every error the product can return: its stable code, HTTP status and message
// template in English and Chinese (same placeholders). The API's problem-JSON writer and the
// CLI's error printer both read this table. A template writes `{name}` for a parameter and
// `{name:one|other}` for the words that agree with a count (see message-template.ts).
import { DEFAULT_LOCALE, localized, type Locale, type LocalizedText } from './locale.js';
import { fillTemplate, type TemplateValue } from './message-template.js';
import { formatTagLabel } from './tag.js';

export const ERROR_CODES = {
  VALIDATION_FAILED: {
    status: 400,
    title: 'Request is not valid',
    message: 'The request is not valid: {detail}',
    zh: { title: '请求无效', message: '请求无效：{detail}' },
  },
  MALFORMED_JSON: {
    status: 400,
    title: 'Malformed JSON',
    message: 'The request body is not valid JSON: {detail}',
    zh: { title: 'JSON 格式错误', message: '请求体不是有效的 JSON：{detail}' },
  },
  BATCH_TOO_LARGE: {
    status: 413,
    title: 'Batch too large',
    message: 'A batch holds at most {max} items; this one holds {count}.',
    zh: { title: '批量过大', message: '每批最多 {max} 条，本批有 {count} 条。' },
  },
  REQUEST_UNREADABLE: {
    status: 400,
    title: 'Request is not readable HTTP',
    message: 'The request could not be read as HTTP: {detail}',
    zh: { title: '请求无法按 HTTP 读取', message: '请求无法按 HTTP 读取：{detail}' },
  },
  REQUEST_TIMEOUT: {
    status: 408,
    title: 'Request took too long',
    message: 'The request did not arrive in full in time.',
    zh: { title: '请求超时', message: '请求未能按时完整到达。' },
  },
  HEADERS_TOO_LARGE: {
    status: 431,
    title: 'Headers too large',
    message: "The request's address and headers are larger than the server reads ({limit} together): shorten the address's query, or send fewer or shorter headers.",
    zh: { title: '请求头过大', message: '请求的地址和请求头合计超过了服务器读取的上限（{limit}）：请缩短地址中的查询参数，或减少、缩短请求头。' },
  },
  BODY_TOO_LARGE: {
    status: 413,
    title: 'Body too large',
    message: 'The request body exceeds {max} ({bytes} bytes), the most this call takes.',
    zh: { title: '请求体过大', message: '请求体超过了本接口接受的上限 {max}（{bytes} 字节）。' },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
    message: 'Send JSON with Content-Type: application/json; {got}.{hint}',
    zh: { title: '不支持的内容类型', message: '请以 JSON 发送，并设置 Content-Type: application/json；{got}。{hint}' },
  },
  NOT_FOUND: {
    status: 404,
    title: 'Not found',
    message: 'No route for {method} {url}.',
    zh: { title: '接口不存在', message: '没有 {method} {url} 这个接口。' },
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    title: 'Method not allowed',
    message: '{url} does not take {method}; it takes {allowed}.',
    zh: { title: '不支持的请求方法', message: '{url} 不接受 {method}，可用的方法：{allowed}。' },
  },
  PRECONDITION_FAILED: {
    status: 412,
    title: 'Changed since it was read',
    message: 'This was changed since it was read (If-Match: {sent}), so nothing was changed: read it again and make the change to what it is now.',
    zh: { title: '读取之后已被修改', message: '读取之后这里已被修改（If-Match: {sent}），因此未做任何更改：请重新读取，在最新内容上再做修改。' },
  },
  NO_ETAG_TO_MATCH: {
    status: 412,
    title: 'No ETag to match',
    message: 'This change has no ETag to match: no GET answers what it changes alone, so If-Match: {sent} can never be current and nothing was changed. Send it without If-Match, or with If-Match: *.',
    zh: { title: '没有可匹配的 ETag', message: '这项更改没有可匹配的 ETag：它所更改的内容没有单独读取的 GET，If-Match: {sent} 永远无法匹配，因此未做任何更改。请去掉 If-Match，或使用 If-Match: * 后再发送。' },
  },
  WORKSPACE_NOT_FOUND: {
    status: 404,
    title: 'Workspace not found',
    message: 'Workspace "{workspace}" does not exist.',
    zh: { title: '工作空间不存在', message: '工作空间「{workspace}」不存在。' },
  },
  WORKSPACE_EXISTS: {
    status: 409,
    title: 'Workspace exists',
    message: 'Workspace "{workspace}" already exists.{hint}',
    zh: { title: '工作空间已存在', message: '工作空间「{workspace}」已存在。{hint}' },
  },
  WORKSPACE_DELETING: {
    status: 409,
    title: 'Workspace is being deleted',
    message: 'Workspace "{workspace}" is being deleted: nothing in it can be read or changed any more. Once the deletion is done its key is free for a new workspace.',
    zh: { title: '工作空间正在删除', message: '工作空间「{workspace}」正在删除，其中的内容已不能读取或修改。删除完成后，该标识可用于新的工作空间。' },
  },
  WORKSPACE_DEFAULT_KEPT: {
    status: 409,
    title: 'The default workspace cannot be deleted',
    message: 'Workspace "{workspace}" is the default one, which calls and commands naming no workspace act in: it cannot be deleted.',
    zh: { title: '默认工作空间不能删除', message: '工作空间「{workspace}」是默认工作空间，未指定工作空间的请求和命令都在其中操作，不能删除。' },
  },
  WORKSPACE_NOT_CONFIRMED: {
    status: 400,
    title: 'Deletion not confirmed',
    message: 'Deleting workspace "{workspace}" removes everything in it and cannot be undone: type its key again as ?confirm={workspace} to delete it.',
    zh: { title: '未确认删除', message: '删除工作空间「{workspace}」会删除其中的全部数据，且无法撤销：请再次输入其标识，以 ?confirm={workspace} 确认删除。' },
  },
  WORKSPACE_NOT_DEMO: {
    status: 409,
    title: 'Workspace holds other customers',
    message: 'Workspace "{workspace}" holds customers the demo did not write, and the demo\'s would overwrite those of the same ids: load the demo into a new workspace, or one it filled before.',
    zh: { title: '工作空间中已有其他客户', message: '工作空间「{workspace}」中已有并非演示数据写入的客户，演示数据会覆盖同一编号的客户：请把演示数据载入新的工作空间，或此前载入过演示数据的工作空间。' },
  },
  DEMO_IN_THE_WAY: {
    status: 409,
    title: 'Workspace holds what the demo makes',
    message: 'Workspace "{workspace}" already holds {things}, under a key or name the demo gives its own: load the demo into a workspace of its own{hint}.',
    zh: { title: '工作空间中已有与演示数据同名的内容', message: '工作空间「{workspace}」中已有{things}，与演示数据要建的标识或名称相同：请把演示数据载入单独的工作空间{hint}。' },
  },
  INVALID_WORKSPACE: {
    status: 400,
    title: 'Invalid workspace',
    message: 'Workspace key "{workspace}" is not valid: use 1-64 ASCII letters (A-Z, a-z), digits, "-" or "_".',
    zh: { title: '工作空间标识无效', message: '工作空间标识「{workspace}」无效：只能使用 1–64 个英文字母（A–Z、a–z）、数字、“-”或“_”。' },
  },
  CUSTOMER_NOT_FOUND: {
    status: 404,
    title: 'Customer not found',
    message: 'Customer "{customer}" does not exist.{hint}',
    zh: { title: '客户不存在', message: '客户「{customer}」不存在。{hint}' },
  },
  JOURNAL_BATCH_NOT_FOUND: {
    status: 404,
    title: 'Accepted batch not found',
    message: 'No accepted event batch {batch} in this workspace (applied batches are kept for a day).',
    zh: { title: '未找到已接收的批次', message: '本工作空间没有已接收的事件批次 {batch}（已应用的批次保留一天）。' },
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    title: 'Idempotency key reused',
    message: 'Idempotency-Key "{key}" came with another request in the last day: a request sent again must carry the same events; a new request takes a new key.',
    zh: { title: '幂等键已用于另一请求', message: '幂等键「{key}」在一天内已随另一请求发送：重发的请求须带相同的事件，新的请求请用新的键。' },
  },
  CUSTOMERS_NOT_FOUND: {
    status: 404,
    title: 'Customers not found',
    message: '{count} {count:customer id does|customer ids do} not exist, e.g. {examples}.',
    zh: { title: '客户不存在', message: '有 {count} 个客户编号不存在，例如{examples}。' },
  },
  IDENTITY_CONFLICT: {
    status: 409,
    title: 'Identity belongs to another customer',
    message: 'Identity {kind} "{value}" already belongs to customer "{owner}".',
    zh: { title: '身份标识已属于其他客户', message: '身份标识 {kind}「{value}」已属于客户「{owner}」。' },
  },
  IDENTITY_NOT_FOUND: {
    status: 404,
    title: 'Identity not found on this customer',
    message: 'Customer "{customer}" has no {kind} "{value}".',
    zh: { title: '该客户没有此身份标识', message: '客户「{customer}」没有{kind}「{value}」。' },
  },
  IDENTITY_AMBIGUOUS: {
    status: 409,
    title: 'Masked identity names more than one',
    message: '{count} of the {kind} identities of customer "{customer}" look like "{value}" when masked; send the whole {kind} to say which.',
    zh: { title: '打码后的身份标识对应多个', message: '客户「{customer}」有 {count} 个{kind}打码后都是「{value}」；请发送完整的{kind}以指明是哪一个。' },
  },
  MERGE_SELF: {
    status: 400,
    title: 'Cannot merge a customer into itself',
    message: 'Customer "{customer}" cannot be merged into itself.',
    zh: { title: '不能将客户合并到自身', message: '客户「{customer}」不能合并到自身。' },
  },
  MERGE_ALREADY: {
    status: 409,
    title: 'Already merged',
    message: 'Customer "{customer}" was merged into "{into}" before: they are one record already.',
    zh: { title: '已经合并过', message: '客户「{customer}」之前已合并到「{into}」，两者已是同一条记录。' },
  },
  FIELD_NOT_FOUND: {
    status: 400,
    title: 'Unknown field',
    message: 'Field "{field}" is not declared.{hint}',
    zh: { title: '未知字段', message: '字段「{field}」未定义。{hint}' },
  },
  FIELD_EXISTS: {
    status: 409,
    title: 'Field exists',
    message: 'Field "{field}" already exists.{hint}',
    zh: { title: '字段已存在', message: '字段「{field}」已存在。{hint}' },
  },
  FIELD_TYPE_MISMATCH: {
    status: 400,
    title: 'Field value has the wrong type',
    message: 'Field "{field}" expects {expected}; got {got}.',
    zh: { title: '字段值类型错误', message: '字段「{field}」应为 {expected}；收到的是 {got}。' },
  },
  EVENT_PROPERTIES_INVALID: {
    status: 400,
    title: 'Event properties are not valid',
    message: 'Event "{type}" has invalid properties: {detail}',
    zh: { title: '事件属性无效', message: '事件「{type}」的属性无效：{detail}' },
  },
  EVENT_ID_CONFLICT: {
    status: 409,
    title: 'Event id reused',
    message: 'Event id "{eventId}" appears twice in the batch with different content.',
    zh: { title: '事件编号重复', message: '事件编号「{eventId}」在本批中出现了两次，且内容不同。' },
  },
  TAG_GROUP_NOT_FOUND: {
    status: 404,
    title: 'Tag group not found',
    message: 'Tag group "{group}" does not exist.',
    zh: { title: '标签分组不存在', message: '标签分组「{group}」不存在。' },
  },
  TAG_GROUP_NAME_TAKEN: {
    status: 409,
    title: 'Tag group name taken',
    // `alike`: said when the text asked for differs from `name` only in letter case or full-width form.
    message: 'Tag group "{group}" already answers to "{name}" (as its name or key){alike}; choose another, so that the name finds one group.',
    zh: { title: '标签分组名称重复', message: '标签分组「{group}」的名称或标识已是「{name}」{alike}，请换一个，以免按名称找到两个分组。' },
  },
  TAG_GROUP_EXISTS: {
    status: 409,
    title: 'Tag group exists',
    message: 'Tag group "{group}" already exists.',
    zh: { title: '标签分组已存在', message: '标签分组「{group}」已存在。' },
  },
  TAG_GROUP_NOT_EMPTY: {
    status: 409,
    title: 'Tag group is not empty',
    // Archived tags stay in their group (a restore puts them back where they were), so archiving frees nothing.
    message: 'Tag group {groupNamed} still holds {count} {count:tag|tags}, archived ones included; move {count:it|them} to another group or out of groups first.',
    zh: { title: '标签分组不为空', message: '标签分组{groupNamed}下还有 {count} 个标签（含已归档的），请先移到其他分组或移出分组。' },
  },
  TAG_NOT_FOUND: {
    status: 404,
    title: 'Tag not found',
    // `others`: where a call names several tags, the rest that do not exist either (`tagsNotFound`).
    message: 'Tag "{tag}" does not exist.{hint}{others}',
    zh: { title: '标签不存在', message: '标签「{tag}」不存在。{hint}{others}' },
  },
  STORE_NOT_FOUND: {
    status: 404,
    title: 'No store there',
    // `named`: where the path came from, when it was not the command line (TAGBASE_DATABASE_URL,
    // or the default); `remedy`: how to put it right, which differs between a named path and the default.
    message: 'There is no store at "{path}"{named}: {remedy}.',
    zh: { title: '没有这个数据库', message: '「{path}」处没有数据库{named}：{remedy}。' },
  },
  TAG_NAME_TAKEN: {
    status: 409,
    title: 'Tag name taken',
    // `holder` is the tag as the reader may know it: another staff member's personal tag unnamed.
    // `alike`: said when the name asked for differs from `name` only in letter case or full-width form.
    message: '{holder} already has the name "{name}"{alike}; choose another name, so that expressions and pickers find one tag by it.',
    zh: { title: '标签名称重复', message: '{holder}已使用名称「{name}」{alike}，请换一个名称，以免表达式和选择框按名称找到两个标签。' },
  },
  TAG_EXISTS: {
    status: 409,
    title: 'Tag exists',
    message: '{holder} already exists.{hint}',
    zh: { title: '标签已存在', message: '{holder}已存在。{hint}' },
  },
  TAG_ARCHIVED: {
    status: 409,
    title: 'Tag is archived',
    message: 'Tag {tagNamed} is archived; restore it before assigning it.',
    zh: { title: '标签已归档', message: '标签{tagNamed}已归档，请先恢复再打标。' },
  },
  TAG_VALUE_NOT_FOUND: {
    status: 404,
    title: 'Tag value not found',
    message: 'Tag {tagNamed} has no value "{value}".{hint}',
    zh: { title: '标签值不存在', message: '标签{tagNamed}没有值「{value}」。{hint}' },
  },
  TAG_VALUE_EXISTS: {
    status: 409,
    title: 'Tag value exists',
    message: 'Tag {tagNamed} already has a value "{value}".',
    zh: { title: '标签值已存在', message: '标签{tagNamed}已有值「{value}」。' },
  },
  TAG_VALUE_IN_USE: {
    status: 409,
    title: 'Tag value is in use',
    message: 'The value {valueNamed} is assigned to {count} {count:customer|customers}; say on_assigned=remove, or on_assigned=move with move_to.',
    zh: { title: '标签值正在使用', message: '标签值{valueNamed}已打给 {count} 位客户；请指定 on_assigned=remove，或 on_assigned=move 并给出 move_to。' },
  },
  TAG_NOT_MANUAL: {
    status: 409,
    title: 'Tag is not assigned by hand',
    message: 'Tag {tagNamed} is a model\'s tag: its model alone sets it, from its parameters; manual and rule tags can be assigned by hand.',
    zh: { title: '该标签不能手动打标', message: '标签{tagNamed}是模型的标签，只由模型按参数打标；手动标签和规则标签才能手动打标。' },
  },
  TAG_SET_BY_MODEL: {
    status: 409,
    title: 'Tag is shaped by its model',
    message: 'Tag {tagNamed} belongs to the model {model}, which gives it its values, their keys, conditions and order, and whether it is single-valued or ordered, so {change} is refused here. {how} Names, colours and descriptions can be changed here.',
    zh: { title: '标签由模型决定', message: '标签{tagNamed}属于模型 {model}，它的值、值标识、条件和顺序，以及单选多选、是否有序都由模型决定，这里不能{change}。{how}这里可以改名称、颜色和说明。' },
  },
  TAG_NOT_DELETABLE: {
    status: 409,
    title: 'Tag cannot be deleted',
    message: 'Tag {tagNamed} cannot be deleted: {reason}. Nothing was deleted.',
    zh: { title: '标签不能删除', message: '标签{tagNamed}不能删除：{reason}。未删除任何内容。' },
  },
  TAG_CARDINALITY_CONFLICT: {
    status: 409,
    title: 'Customers hold several values',
    message: 'Tag {tagNamed} cannot become single-valued: {count} {count:customer holds|customers hold} several of its values; take the extra values off them first, or keep it multi-valued.',
    zh: { title: '有客户持有多个值', message: '标签{tagNamed}不能改为单值：有 {count} 位客户持有它的多个值；请先去掉他们多余的值，或保持多值。' },
  },
  TAG_SCOPE_IN_USE: {
    status: 409,
    title: 'Tag is read by what everyone shares',
    message: 'Tag {tagNamed} cannot become personal: {reason}. A personal tag is seen by its owner alone, so they would stop; keep it shared, or change those first. Nothing was changed.',
    zh: { title: '共享内容正在读取该标签', message: '标签{tagNamed}不能改为个人标签：{reason}。个人标签只有其所有者可见，它们将因此失效；请保持为企业标签，或先修改它们。未做任何更改。' },
  },
  PERSONAL_TAG_OWNER_REQUIRED: {
    status: 400,
    title: 'Personal tags need an owner',
    message: 'A personal tag needs an acting user: send the X-Tagbase-Actor header.',
    zh: { title: '个人标签需要所有者', message: '个人标签需要指明操作人：请发送 X-Tagbase-Actor 请求头。' },
  },
  METRIC_EXISTS: {
    status: 409,
    title: 'Metric exists',
    message: 'Metric "{metric}" already exists.{hint}',
    zh: { title: '指标已存在', message: '指标「{metric}」已存在。{hint}' },
  },
  METRIC_INVALID: {
    status: 400,
    title: 'Metric definition is not valid',
    message: 'The metric cannot be defined: {detail}',
    zh: { title: '指标定义无效', message: '无法定义该指标：{detail}' },
  },
  RULE_INVALID: {
    status: 400,
    title: 'Rule is not valid',
    message: 'Value {valueNamed}: {detail}',
    zh: { title: '规则无效', message: '标签值{valueNamed}：{detail}' },
  },
  RULE_CYCLE: {
    status: 409,
    title: 'Rules read each other in a cycle',
    message: 'Tag rules would read each other in a cycle: {cycle}.',
    zh: { title: '规则循环引用', message: '标签规则之间会形成循环引用：{cycle}。' },
  },
  SEGMENT_NOT_FOUND: {
    status: 404,
    title: 'Segment not found',
    // `segment` is quoted already: one name, or several in a list (`"a" and "b"`, 「a」和「b」).
    message: '{count:Segment|Segments} {segment} {count:does|do} not exist.{hint}',
    zh: { title: '人群不存在', message: '人群{segment}不存在。{hint}' },
  },
  SEGMENT_NAME_TAKEN: {
    status: 409,
    title: 'Segment name taken',
    message: 'Segment "{segment}" already answers to "{name}" (as its name or key); choose another, so that the name finds one segment.',
    zh: { title: '人群名称重复', message: '人群「{segment}」的名称或标识已是「{name}」，请换一个，以免按名称找到两个人群。' },
  },
  SEGMENT_EXISTS: {
    status: 409,
    title: 'Segment exists',
    message: 'Segment "{segment}" already exists: choose another key, or edit that segment instead.',
    zh: { title: '人群已存在', message: '人群「{segment}」已存在：请换一个标识，或者直接编辑这个人群。' },
  },
  SEGMENT_INVALID: {
    status: 400,
    title: 'Segment is not valid',
    message: 'Segment "{segment}" cannot be saved: {detail}',
    zh: { title: '人群无效', message: '人群「{segment}」无法保存：{detail}' },
  },
  NAME_IN_USE: {
    status: 409,
    title: 'Name already used in expressions',
    message: 'In expressions, "{name}" already means {holder}; choose another key or name.',
    zh: { title: '名称在表达式中已被使用', message: '在表达式中，「{name}」已指代{holder}，请换一个标识或名称。' },
  },
  TAG_IN_USE: {
    status: 409,
    title: 'Tag is in use',
    message: 'This change to tag {tagNamed} would leave {users} unreadable ({detail}); change those first.',
    zh: { title: '标签正在使用', message: '对标签{tagNamed}的这一修改会使{users}无法读取（{detail}），请先修改它们。' },
  },
  SEGMENT_IN_USE: {
    status: 409,
    title: 'Segment is in use',
    message: 'Segment "{segment}" is read by {users}; change those first.',
    zh: { title: '人群正在使用', message: '人群「{segment}」正被 {users} 引用，请先修改它们。' },
  },
  WEBHOOK_NOT_FOUND: {
    status: 404,
    title: 'Webhook not found',
    message: 'Webhook {webhook} does not exist.',
    zh: { title: 'Webhook 不存在', message: 'Webhook {webhook} 不存在。' },
  },
  WEBHOOK_PAUSED: {
    status: 409,
    title: 'Webhook paused',
    message: 'Webhook {webhook} is paused: resume it, and it posts what it has not delivered yet.',
    zh: { title: 'Webhook 已暂停', message: 'Webhook {webhook} 已暂停：恢复后会推送尚未送达的内容。' },
  },
  TAGGING_OPERATION_NOT_FOUND: {
    status: 404,
    title: 'Tagging operation not found',
    message: 'Bulk tagging operation {operation} does not exist, or is more than 7 days old and can no longer be undone.',
    zh: { title: '批量打标操作不存在', message: '批量打标操作 {operation} 不存在，或已超过 7 天，不能再撤销。' },
  },
  TAGGING_OPERATION_UNDONE: {
    status: 409,
    title: 'Tagging operation already undone',
    message: 'Bulk tagging operation {operation} was already undone by {by}.',
    zh: { title: '批量打标操作已撤销', message: '批量打标操作 {operation} 已由 {by} 撤销。' },
  },
  CARE_PLAN_NOT_FOUND: {
    status: 404,
    title: 'Care plan not found',
    message: 'Care plan "{plan}" does not exist.',
    zh: { title: '关怀计划不存在', message: '关怀计划「{plan}」不存在。' },
  },
  CARE_PLAN_EXISTS: {
    status: 409,
    title: 'Care plan exists',
    message: 'Care plan "{plan}" already exists.',
    zh: { title: '关怀计划已存在', message: '关怀计划「{plan}」已存在。' },
  },
  CARE_PLAN_NAME_TAKEN: {
    status: 409,
    title: 'Care plan name taken',
    message: 'Care plan "{plan}" already answers to "{name}" (as its name or key); choose another, so that the name finds one plan.',
    zh: { title: '关怀计划名称重复', message: '关怀计划「{plan}」的名称或标识已是「{name}」，请换一个，以免按名称找到两个关怀计划。' },
  },
  CARE_PLAN_INVALID: {
    status: 400,
    title: 'Care plan is not valid',
    message: 'The care plan is not valid: {detail}',
    zh: { title: '关怀计划无效', message: '关怀计划无效：{detail}' },
  },
  CARE_REMINDER_NOT_FOUND: {
    status: 404,
    title: 'Reminder not found',
    message: 'Reminder {reminder} does not exist.',
    zh: { title: '提醒不存在', message: '提醒 {reminder} 不存在。' },
  },
  CARE_REMINDER_CLOSED: {
    status: 409,
    title: 'Reminder cannot be closed so',
    message: 'Reminder {reminder} is {status}: only a due reminder can be marked done or put off, and only a due or scheduled one dismissed.',
    zh: { title: '提醒不能这样关闭', message: '提醒 {reminder} 的状态是「{status}」：只有待处理的提醒能标记完成或推迟，只有待处理或已安排的提醒能忽略。' },
  },
  CARE_REMINDER_NOT_REOPENABLE: {
    status: 409,
    title: 'Reminder cannot be reopened',
    message: 'Reminder {reminder} is {status}: only a reminder marked done or dismissed can be reopened.',
    zh: { title: '提醒不能重新打开', message: '提醒 {reminder} 的状态是「{status}」：只有已完成或已忽略的提醒能重新打开。' },
  },
  CARE_REMINDER_NOT_SNOOZED: {
    status: 409,
    title: 'Reminder was not put off',
    message: 'Reminder {reminder} is {status}{never}: only a reminder put off can be brought back to due.',
    zh: { title: '提醒未被推迟', message: '提醒 {reminder} 的状态是「{status}」{never}：只有推迟的提醒能恢复为待处理。' },
  },
  AUTH_REQUIRED: {
    status: 401,
    title: 'Access token required',
    message: 'This server asks for an access token: send Authorization: Bearer <token> (an administrator creates one with `tagbase token create`).',
    zh: { title: '需要访问令牌', message: '此服务需要访问令牌：请发送 Authorization: Bearer <令牌>（由管理员用 `tagbase token create` 创建）。' },
  },
  AUTH_INVALID: {
    status: 401,
    title: 'Access token not valid',
    message: 'The access token {reason}.',
    zh: { title: '访问令牌无效', message: '访问令牌{reason}。' },
  },
  FORBIDDEN: {
    status: 403,
    title: 'Not allowed',
    message: 'The {role} role may not {action}.',
    zh: { title: '没有权限', message: '「{role}」角色不能{action}。' },
  },
  HOST_NOT_ALLOWED: {
    status: 403,
    title: 'Host not served without access tokens',
    message: 'This server asks for no sign-in until an access token exists, so it answers only requests addressed to localhost or to an IP address, not to "{host}" (a web page can point any name at this machine). Open the console at http://localhost:{port} or http://127.0.0.1:{port}, or create an access token (README, "Access and roles") to serve it under a name.',
    zh: { title: '未创建访问令牌时不接受此主机名', message: '在创建第一个访问令牌之前此服务无需登录，因此只接受发往 localhost 或 IP 地址的请求，不接受发往「{host}」的请求（网页可以把任何域名指向本机）。请在 http://localhost:{port} 或 http://127.0.0.1:{port} 打开控制台，或先创建访问令牌（见 README「Access and roles」）再以域名访问。' },
  },
  BROWSING_NEEDS_EXPORT: {
    status: 403,
    title: 'Reading further needs the export permission',
    message: 'The {role} role reads the first {limit} customers of a list, to see who is in it; {asked} would go further, which is an export and needs the export permission. Count, use insight, or narrow the list with a search or a filter.',
    zh: { title: '继续翻页需要导出权限', message: '「{role}」角色只能查看列表中的前 {limit} 位客户，以了解名单构成；{asked}超出了这一范围，相当于导出，需要导出权限。可以计数、查看人群洞察，或用搜索、筛选缩小列表。' },
  },
  PERSONAL_DATA_MASKED: {
    status: 403,
    title: 'Personal data is masked for this role',
    message: '{detail}',
    zh: { title: '个人数据对该角色遮盖显示', message: '{detail}' },
  },
  ACCESS_TOKEN_NAME_TAKEN: {
    status: 409,
    title: 'Token name taken',
    message: 'An access token named "{name}" exists already; revoke it first or choose another name.',
    zh: { title: '令牌名称已被使用', message: '已有名为「{name}」的访问令牌；请先吊销它，或换一个名称。' },
  },
  FIRST_TOKEN_NOT_ADMIN: {
    status: 409,
    title: 'The first token must be an administrator\'s',
    message: 'No token exists yet: the first one must have the role admin, for every workspace, since from then on every call needs a token and only such administrators manage them.',
    zh: { title: '第一个令牌必须是管理员令牌', message: '目前还没有任何令牌：第一个令牌的角色必须是 admin，且适用于全部工作空间，因为此后每次调用都需要令牌，而只有这样的管理员能管理令牌。' },
  },
  LAST_ADMIN_TOKEN: {
    status: 409,
    title: 'The last administrator\'s token',
    message: '"{name}" holds the last live administrator token for every workspace while other tokens are live: revoking it would leave nobody to manage tokens here. Make another such token first, or revoke it with `tagbase token revoke`.',
    zh: { title: '最后一个管理员令牌', message: '「{name}」持有最后一个适用于全部工作空间的有效管理员令牌，而其他令牌仍然有效：吊销后将没有人能在这里管理令牌。请先创建另一个这样的令牌，或用 `tagbase token revoke` 吊销。' },
  },
  ACCESS_TOKEN_NOT_FOUND: {
    status: 404,
    title: 'Access token not found',
    message: 'No access token is named "{name}".',
    zh: { title: '访问令牌不存在', message: '没有名为「{name}」的访问令牌。' },
  },
  SNAPSHOT_NOT_FOUND: {
    status: 404,
    title: 'Snapshot not found',
    message: 'Snapshot {snapshot} of segment "{segment}" does not exist.',
    zh: { title: '快照不存在', message: '人群「{segment}」的快照 {snapshot} 不存在。' },
  },
  TEMPLATE_NOT_FOUND: {
    status: 404,
    title: 'Template not found',
    message: 'Template "{template}" does not exist.{hint} Templates: {known}.',
    zh: { title: '模板不存在', message: '模板「{template}」不存在。{hint}可用的模板：{known}。' },
  },
  MODEL_NOT_FOUND: {
    status: 404,
    title: 'Model not found',
    message: 'There is no model "{model}".{hint}',
    zh: { title: '模型不存在', message: '没有名为「{model}」的模型。{hint}' },
  },
  MODEL_NOT_ENABLED: {
    status: 409,
    title: 'Model is not enabled',
    message: 'Model "{model}" is not enabled in this workspace; enable it first.',
    zh: { title: '模型未启用', message: '本工作空间未启用模型「{model}」，请先启用。' },
  },
  MODEL_INVALID: {
    status: 400,
    title: 'Model parameters are not valid',
    message: 'Model "{model}": {detail}',
    zh: { title: '模型参数无效', message: '模型「{model}」：{detail}' },
  },
  MODEL_CONFLICT: {
    status: 409,
    title: 'Model conflicts with the library',
    message: 'Model "{model}" cannot be enabled: {detail}',
    zh: { title: '模型与标签库冲突', message: '无法启用模型「{model}」：{detail}' },
  },
  EXPRESSION_SYNTAX: {
    status: 400,
    title: 'Expression syntax error',
    message: '{detail}',
    zh: { title: '表达式语法错误', message: '{detail}' },
  },
  EXPRESSION_UNKNOWN_NAME: {
    status: 400,
    title: 'Unknown name in expression',
    message: '{detail}',
    zh: { title: '表达式中有未知名称', message: '{detail}' },
  },
  EXPRESSION_TYPE: {
    status: 400,
    title: 'Expression type error',
    message: '{detail}',
    zh: { title: '表达式类型错误', message: '{detail}' },
  },
  EXPRESSION_INVALID_VALUE: {
    status: 400,
    title: 'Invalid value in expression',
    message: '{detail}',
    zh: { title: '表达式中有无效的值', message: '{detail}' },
  },
  STORE_UNAVAILABLE: {
    status: 503,
    title: 'Database unavailable',
    message: 'The database cannot be reached: {detail}',
    zh: { title: '数据库不可用', message: '无法连接数据库：{detail}' },
  },
  STORE_REFUSED: {
    status: 503,
    title: 'Database refused the connection',
    // `detail`: the URL tried (without its password), the server's words and what to put right.
    message: 'The database refused the connection: {detail}',
    zh: { title: '数据库拒绝连接', message: '数据库拒绝了连接：{detail}' },
  },
  STORE_NOT_WRITABLE: {
    status: 503,
    title: 'Store cannot be written',
    message: 'The store cannot be written: {detail}',
    zh: { title: '数据库无法写入', message: '数据库无法写入：{detail}' },
  },
  STORE_PERMISSION_DENIED: {
    status: 503,
    title: 'Database role lacks rights',
    // `detail`: the URL (without its password), the role, the right and table or schema it lacks, and the GRANT that gives it.
    message: 'The database role lacks rights the store needs: {detail}',
    zh: { title: '数据库用户权限不足', message: '数据库用户缺少所需的权限：{detail}' },
  },
  STORE_COPY_UNFINISHED: {
    status: 409,
    title: 'Store holds an unfinished copy',
    // `store`: the store (a path, or a URL without its password); `source`: the store the copy read, as it named it; `since`: when it began to write.
    message:
      '{store} holds an unfinished copy of {source}, begun {since}: a copy into it did not finish, and the next copy into it empties it first, whatever was written since. Run the copy again (`tagbase store copy --database {source} --to {store}`), or, to keep what it holds as it is, drop the mark of the unfinished copy in it: `drop table tagbase_copy_unfinished`',
    zh: {
      title: '数据库中有未完成的复制',
      message:
        '{store} 中有一次从 {source} 开始于 {since} 的复制没有完成：下一次复制到这里时会先将其清空，连同此后写入的一切。请重新运行复制（`tagbase store copy --database {source} --to {store}`）；若要按现状保留其中的数据，请删除其中未完成复制的标记：`drop table tagbase_copy_unfinished`',
    },
  },
  STORE_FOREIGN: {
    status: 409,
    title: 'Not a tagbase store',
    // `tables`: the first few of the tables the file holds.
    message:
      'The SQLite file "{path}" holds another database ({tables}) and no tagbase store, so nothing was written to it: name a tagbase store, or a new file, with --database or TAGBASE_DATABASE_URL.',
    zh: { title: '不是 tagbase 数据库', message: 'SQLite 文件「{path}」是另一个数据库（{tables}），其中没有 tagbase 的数据，因此未写入任何内容：请用 --database 或 TAGBASE_DATABASE_URL 指定 tagbase 数据库或一个新文件。' },
  },
  STORE_CORRUPT: {
    status: 500,
    title: 'Store is damaged',
    // `detail`: SQLite's words, and the table or index where it found the damage when known.
    message: 'The store at "{path}" is damaged and cannot be read ({detail}): restore it from a backup (`tagbase backup` makes one), or name another store with --database or TAGBASE_DATABASE_URL.',
    zh: { title: '数据库已损坏', message: '「{path}」处的数据库已损坏，无法读取（{detail}）：请从备份恢复（`tagbase backup` 可做备份），或用 --database 或 TAGBASE_DATABASE_URL 指定其他数据库。' },
  },
  INTERNAL: {
    status: 500,
    title: 'Internal error',
    message: 'Something went wrong on our side: {detail}',
    zh: { title: '内部错误', message: '服务器内部出错：{detail}' },
  },
} as const satisfies Record<string, ErrorEntry>;

/** A code's status, its English title and message template, and the same two in Chinese. */
interface ErrorEntry {
  status: number;
  title: string;
  message: string;
  zh: { title: string; message: string };
}

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * A parameter is a plain value (a key, a count) or words, given in every language. A number is
 * a count, its digits grouped (12,345): an id is given as a string.
 */
export type ErrorParams = Record<string, TemplateValue>;

export function errorTitle(code: ErrorCode, locale: Locale = DEFAULT_LOCALE): string {
  const entry: ErrorEntry = ERROR_CODES[code];
  return locale === 'zh-CN' ? entry.zh.title : entry.title;
}

export function errorTemplate(code: ErrorCode, locale: Locale = DEFAULT_LOCALE): string {
  const entry: ErrorEntry = ERROR_CODES[code];
  return locale === 'zh-CN' ? entry.zh.message : entry.message;
}

/** Fills the placeholders of a message template; a missing parameter renders empty. */
export function formatErrorMessage(code: ErrorCode, params: ErrorParams, locale: Locale = DEFAULT_LOCALE): string {
  return fillTemplate(errorTemplate(code, locale), params, locale, { braces: 'single', missing: 'empty' });
}

/** One problem inside a batch: which item, and what is wrong with it. */
export interface ItemError {
  index: number;
  line?: number;
  code: ErrorCode;
  /** In English; `localized` has it in every language when it was written in more than one. */
  message: string;
  localized?: LocalizedText;
  path?: string;
  /**
   * Where the item is in the request's body, as an RFC 6901 JSON Pointer written as a URI
   * fragment (`#/events/3/properties/amount`); none for a header, a query parameter or a place
   * not known. The API writes it from `inItem` for a batch's item.
   */
  pointer?: string;
  /**
   * For a batch's item: where in the item at `index` the problem is, key by key
   * (`['properties', 'items', 0, 'sku']`), as `path` says it joined with dots. The API adds the
   * batch's key and the index to make `pointer`; a name holding a dot stays one step. Not shown.
   */
  inItem?: readonly PathSegment[];
  /** For expressions: where the problem is (1-based column, 0-based offset and length in UTF-16 units). */
  column?: number;
  offset?: number;
  length?: number;
  found?: string;
  expected?: string[];
  suggestion?: string;
  /** For expressions: which problem it is, and what its message is made of, the same in every language. */
  reason?: string;
  params?: Readonly<Record<string, unknown>>;
}

/** One step into a JSON document: an object's key or an array's index. */
export type PathSegment = string | number;

/** A problem with the batch item at `index`, at `inItem` within it (see `ItemError.inItem`). */
export function batchItemError(index: number, code: ErrorCode, inItem: readonly PathSegment[], text: LocalizedText): ItemError {
  return { index, code, path: inItem.join('.'), inItem, message: text.en, localized: text };
}

/**
 * A place in a JSON document as an RFC 6901 JSON Pointer in its URI fragment form (§6), as RFC
 * 9457 places an item (`"pointer": "#/age"`): `~` is written `~0` and `/` `~1` (§3), then what a
 * fragment may not hold is percent-encoded as UTF-8 (金额 as `%E9%87%91%E9%A2%9D`, `%` as `%25`).
 */
export function jsonPointer(segments: readonly PathSegment[]): string {
  return `#${segments.map((segment) => `/${fragmentText(String(segment).replace(/~/g, '~0').replace(/\//g, '~1'))}`).join('')}`;
}

/** Percent-encodes what a URI fragment may not hold (RFC 3986 §3.5), leaving its sub-delimiters, `:`, `@` and `?` readable. */
function fragmentText(text: string): string {
  // A lone surrogate has no UTF-8 (encodeURIComponent throws on one): written as U+FFFD, as a JSON parser reads it.
  const wellFormed = text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return encodeURIComponent(wellFormed).replace(/%(24|26|2B|2C|3B|3D|3A|40|3F)/g, (escape) => decodeURIComponent(escape));
}

/** An item's message in one language. */
export function itemMessage(item: ItemError, locale: Locale = DEFAULT_LOCALE): string {
  return item.localized?.[locale] ?? item.message;
}

/** The product's one exception type: a code from the table, its parameters, and item errors for batches. */
export class TagbaseError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly items: ItemError[] | undefined;

  constructor(code: ErrorCode, params: ErrorParams = {}, items?: ItemError[]) {
    super(formatErrorMessage(code, params));
    this.name = 'TagbaseError';
    this.code = code;
    this.params = params;
    this.items = items;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  /** The message in one language; `message` is the English one, for logs. */
  messageIn(locale: Locale): string {
    return formatErrorMessage(this.code, this.params, locale);
  }
}

/**
 * The part of a request a field is in: a body field is pointed at in `errors[]` (`pointer`) as
 * well as named; a query parameter or a header, which no JSON Pointer reaches, only named.
 */
export type RequestPart = 'body' | 'query' | 'header';

/**
 * A problem of `code` about one field of a request, placed in `errors[]` by its path as a schema's
 * own issue is: a body field by its path (`params.lost_days`) and its pointer
 * (`#/params/lost_days`), a query parameter by its name, a header by its name in lower case
 * (`idempotency-key`). `text` is what the entry says.
 */
export function placedProblem(code: ErrorCode, params: ErrorParams, part: RequestPart, path: string, text: LocalizedText): TagbaseError {
  const pointer = part === 'body' ? { pointer: jsonPointer(path === '' ? [] : path.split('.')) } : {};
  return new TagbaseError(code, params, [{ index: -1, code, path, ...pointer, message: text.en, localized: text }]);
}

/** A field of a request refused by a check beyond its schema, said in `detail` and placed in `errors[]`. */
export function fieldError(part: RequestPart, path: string, text: LocalizedText): TagbaseError {
  return placedProblem('VALIDATION_FAILED', { detail: text }, part, path, text);
}

/** A problem of another code about one field of a request, its entry in `errors[]` saying what the whole message says. */
export function fieldProblem(code: ErrorCode, part: RequestPart, path: string, params: ErrorParams = {}): TagbaseError {
  return placedProblem(code, params, part, path, localized(formatErrorMessage(code, params, 'en'), formatErrorMessage(code, params, 'zh-CN')));
}

/** A `cursor` query parameter that is none the list handed out: named in `detail` and placed in `errors[]`. */
export function cursorRefused(why: LocalizedText): TagbaseError {
  const detail = localized(`cursor: ${why.en}`, `cursor：${why['zh-CN']}`);
  return placedProblem('VALIDATION_FAILED', { detail }, 'query', 'cursor', why);
}

export function isTagbaseError(error: unknown): error is TagbaseError {
  return error instanceof TagbaseError;
}

/**
 * A tag or group as a person knows it, by its name, with its key after it for whoever writes
 * expressions or calls the API: `"RFM等级" (rfm_level)`, 「RFM等级」（rfm_level）; the key alone
 * when it is the name. Errors pass it beside the key, which stays the parameter code reads.
 */
export function namedInMessage(thing: { key: string; name: string }): LocalizedText {
  return thing.name === thing.key ? localized(`"${thing.key}"`, `「${thing.key}」`) : localized(`"${thing.name}" (${thing.key})`, `「${thing.name}」（${thing.key}）`);
}

/** Names quoted and listed as a sentence lists them: `"a", "b" and "c"`, 「a」、「b」和「c」. */
export function namesInMessage(names: readonly string[]): LocalizedText {
  const list = (quoted: string[], comma: string, and: string) => (quoted.length < 2 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(comma)}${and}${quoted.at(-1) ?? ''}`);
  return localized(
    list(names.map((name) => `"${name}"`), ', ', ' and '),
    list(names.map((name) => `「${name}」`), '、', '和'),
  );
}

/** A tag's value as the console shows it, 「RFM等级: 重要价值客户」, with `tag.value` keys after it when they differ. */
export function valueInMessage(tag: { key: string; name: string }, value: { key: string; name: string }): LocalizedText {
  const label = formatTagLabel(tag.name, value.name);
  const keys = `${tag.key}.${value.key}`;
  return tag.name === tag.key && value.name === value.key ? localized(`"${label}"`, `「${label}」`) : localized(`"${label}" (${keys})`, `「${label}」（${keys}）`);
}

/** " Did you mean "x"?" when a near name exists, else nothing, in each language. */
export function didYouMean(suggestion: string | undefined): LocalizedText {
  return suggestion === undefined ? localized('', '') : localized(` Did you mean "${suggestion}"?`, `您是不是要找「${suggestion}」？`);
}
