import { Alert, Checkbox, Form, Input, Modal, Select, type ButtonProps } from 'antd';
import { ChangedSinceAlert } from '../../app/components/ChangedSinceAlert';
import { useFocusReturn } from '../../app/hooks/useFocusReturn';
import { useGuardedClose } from '../../app/hooks/useGuardedClose';
import { useOpenedVersion } from '../../app/hooks/useOpenedVersion';
import { useSession } from '../../app/hooks/useSession';
import { useSubmission } from '../../app/hooks/useSubmission';
import type { TagJson } from '../../app/utils/types';
import type { SegmentJson } from '../../segments/hooks/useSegments';
import { useWebhookChanges } from '../hooks/useWebhookChanges';
import { WEBHOOK_TOPICS, webhookDefinition, type MadeWebhook, type Webhook, type WebhookTopic } from '../utils/types';
import { WebhookTagSelect } from './WebhookTagSelect';

/** The server refuses a shorter secret: one this short could be guessed. */
const MIN_SECRET = 16;

interface Props {
  /** The library, whose shared tags can be chosen. */
  tags: TagJson[];
  /** The saved segments, which can be watched. */
  segments: SegmentJson[];
  /** A webhook to change instead of making one: its secret stays, and is not asked for. */
  editing?: Webhook;
  /** The answer (with the secret in it when one was made), or nothing when the dialog was cancelled. */
  onClose: (answer?: MadeWebhook | Webhook) => void;
}

/** What Form.Item hands its field: the value, how to change it, and what the field says of it to a screen reader. */
interface TopicField {
  id?: string;
  value?: WebhookTopic[];
  onChange?: (topics: WebhookTopic[]) => void;
  'aria-describedby'?: string;
  'aria-invalid'?: 'true';
}

/**
 * The topics, a group of checkboxes named by the field's label. Form.Item marks its field
 * aria-required, which ARIA allows on no group of checkboxes (antd's is a bare div): the group takes
 * the rest of what the field says (its hint, that it is wrong), and its asterisk and its message when
 * none is ticked say that one is needed.
 */
function TopicChoice({ id, value, onChange, 'aria-describedby': describedBy, 'aria-invalid': invalid }: TopicField) {
  const { t } = useSession();
  return (
    <div id={id} role="group" aria-label={t('webhooks.topics')} aria-describedby={describedBy} aria-invalid={invalid}>
      <Checkbox.Group<WebhookTopic> data-testid="webhook-topics" value={value ?? []} onChange={onChange} options={WEBHOOK_TOPICS.map((topic) => ({ value: topic, label: t(`webhooks.topic.${topic}`) }))} />
    </div>
  );
}

interface Fields {
  url: string;
  topics: WebhookTopic[];
  tags: string[];
  segments: string[];
  secret?: string;
}

/**
 * A URL, what to post (tag changes, of which tags; segment entries and exits, of which
 * segments; care reminders) and perhaps a secret of one's own; the server's refusal is shown
 * here, in its own words.
 */
export function WebhookCreateDialog({ tags, segments, editing, onClose }: Props) {
  useFocusReturn();
  const { t } = useSession();
  const { create, updateIf } = useWebhookChanges();
  const [form] = Form.useForm<Fields>();
  // A webhook being changed is saved only over the version opened: a change (or a delivery) since is
  // refused; reloaded, what was typed stays unless its address or what it posts changed.
  const opened = useOpenedVersion(editing && `/webhooks/${editing.id}`, editing, webhookDefinition);
  const saved = opened.current;
  const { busy, problem, submit: send } = useSubmission(onClose, opened.refused);
  const cancel = useGuardedClose(() => form.isFieldsTouched(), () => onClose());

  const submit = (fields: Fields) => {
    // Not a field of the form when a webhook is changed: its secret stays.
    const secret = fields.secret?.trim() ?? '';
    const tags = fields.topics.includes('tag_changes') ? fields.tags : [];
    const watched = fields.topics.includes('segment_changes') ? fields.segments : [];
    const url = fields.url.trim();
    if (saved) {
      // The URL as listed hides a password as ***: sent back unchanged, it would replace it.
      const patch = { ...(url !== saved.url ? { url } : {}), topics: fields.topics, tags, segments: watched };
      return send(async () => (await updateIf(saved.id, patch, await opened.ifMatch())).body);
    }
    return send(() => create({ url, topics: fields.topics, ...(tags.length > 0 ? { tags } : {}), ...(watched.length > 0 ? { segments: watched } : {}), ...(secret ? { secret } : {}) }));
  };

  return (
    <Modal
      open
      title={editing ? t('webhooks.edit') : t('webhooks.create')}
      okText={editing ? t('webhooks.save') : t('webhooks.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, 'data-testid': 'webhook-submit' } as ButtonProps}
      onOk={() => form.submit()}
      onCancel={cancel}
      // A stray click beside it would discard what was typed; Esc, the × and Cancel ask first once something was.
      maskClosable={false}
    >
      {opened.conflict && (
        <ChangedSinceAlert
          style={{ marginBottom: 16 }}
          testId="webhook-conflict"
          reloadTestId="webhook-conflict-reload"
          message={t('webhooks.changedSince')}
          reloading={opened.reloading}
          onReload={() => void opened.reload((now) => form.setFieldsValue({ url: now.url, topics: now.topics, tags: now.tags, segments: now.segments }))}
        />
      )}
      {problem && <Alert data-testid="webhook-create-error" type="error" showIcon style={{ marginBottom: 16 }} message={t('webhooks.createFailed')} description={problem} />}
      <Form<Fields> form={form} layout="vertical" initialValues={editing ? { url: editing.url, topics: editing.topics, tags: editing.tags, segments: editing.segments, secret: '' } : { url: '', topics: ['tag_changes'], tags: [], segments: [], secret: '' }} onFinish={(fields) => void submit(fields)}>
        <Form.Item name="url" className="tb-hinted-field" label={t('webhooks.url')} extra={t('webhooks.urlHint')} rules={[{ required: true, whitespace: true, message: t('webhooks.urlRequired') }]}>
          <Input data-testid="webhook-url" maxLength={2000} autoFocus placeholder="https://example.com/tagbase" />
        </Form.Item>
        <Form.Item name="topics" className="tb-hinted-field" label={t('webhooks.topics')} extra={t('webhooks.topicsHint')} rules={[{ required: true, type: 'array', min: 1, message: t('webhooks.topicsRequired') }]}>
          <TopicChoice />
        </Form.Item>
        {/* A topic a webhook is given starts from now: what happened before it is not posted. */}
        {saved && (
          <Form.Item noStyle shouldUpdate={(before: Fields, after: Fields) => before.topics !== after.topics}>
            {({ getFieldValue }) => {
              const added = (getFieldValue('topics') as WebhookTopic[]).filter((topic) => !saved.topics.includes(topic));
              return (
                added.length > 0 && (
                  <Alert
                    data-testid="webhook-topics-from-now"
                    type="info"
                    showIcon
                    style={{ marginBottom: 16 }}
                    message={t('webhooks.topicsFromNow', { topics: added.map((topic) => t(`webhooks.topic.${topic}`)).join(t('care.separator')) })}
                  />
                )
              );
            }}
          </Form.Item>
        )}
        {/* Which tags only matters to a webhook that posts tag changes. */}
        <Form.Item noStyle shouldUpdate={(before: Fields, after: Fields) => before.topics !== after.topics}>
          {({ getFieldValue }) =>
            (getFieldValue('topics') as WebhookTopic[]).includes('tag_changes') && (
              <Form.Item name="tags" label={t('webhooks.tags')} extra={t('webhooks.tagsHint')}>
                <WebhookTagSelect library={tags} />
              </Form.Item>
            )
          }
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(before: Fields, after: Fields) => before.topics !== after.topics}>
          {({ getFieldValue }) =>
            (getFieldValue('topics') as WebhookTopic[]).includes('segment_changes') && (
              <Form.Item name="segments" label={t('webhooks.segments')} extra={t('webhooks.segmentsHint')}>
                <Select<string[]>
                  data-testid="webhook-segments"
                  mode="multiple"
                  allowClear
                  placeholder={t('webhooks.allSegments')}
                  optionFilterProp="label"
                  options={segments.map((segment) => ({ value: segment.key, label: segment.name }))}
                />
              </Form.Item>
            )
          }
        </Form.Item>
        {!editing && (
          <Form.Item
            name="secret"
            className="tb-hinted-field"
            label={t('webhooks.secretInput')}
            extra={t('webhooks.secretHint')}
            rules={[{ validator: (_, value: string | undefined) => (!value?.trim() || value.trim().length >= MIN_SECRET ? Promise.resolve() : Promise.reject(new Error(t('webhooks.secretTooShort', { n: MIN_SECRET })))) }]}
          >
            <Input.Password data-testid="webhook-secret-input" maxLength={200} autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
