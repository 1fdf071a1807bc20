import { Alert, Form, Input, Modal, Select, type ButtonProps } from 'antd';
import { DEFAULT_ZONE, zoneOptions } from '../utils/zones';
import { useApi } from '../hooks/useApi';
import { useFocusReturn } from '../hooks/useFocusReturn';
import { useGuardedClose } from '../hooks/useGuardedClose';
import { useSession } from '../hooks/useSession';
import { useSubmission } from '../hooks/useSubmission';

export interface WorkspaceJson {
  key: string;
  name: string;
  /** Its time zone, minutes east of UTC. */
  utc_offset_minutes?: number;
  /** Only while it is being deleted: how many of its rows are gone of how many it held. */
  deleting?: { deleted_rows: number; total_rows: number | null };
}

interface WorkspaceFields extends WorkspaceJson {
  utc_offset_minutes: number;
}

interface Props {
  /** The workspace made, or nothing when the dialog was cancelled. */
  onClose: (made?: WorkspaceJson) => void;
}

/** The pattern the server holds a workspace key to: what `-w` and X-Tagbase-Workspace name. */
const KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A key and a name for a new workspace (a merchant or a store); the server's refusal is shown here. */
export function WorkspaceCreateDialog({ onClose }: Props) {
  useFocusReturn();
  const { t } = useSession();
  const api = useApi();
  const [form] = Form.useForm<WorkspaceFields>();
  const { busy, problem, submit: send } = useSubmission(onClose);
  const cancel = useGuardedClose(() => form.isFieldsTouched(), () => onClose());
  const submit = ({ key, name, utc_offset_minutes }: WorkspaceFields) => send(() => api.post<WorkspaceJson>('/workspaces', { key: key.trim(), name: name.trim(), utc_offset_minutes }));
  const zones = zoneOptions(t);
  return (
    <Modal
      open
      title={t('workspaces.create')}
      okText={t('workspaces.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, 'data-testid': 'workspace-submit' } as ButtonProps}
      onOk={() => form.submit()}
      onCancel={cancel}
      // A stray click beside it would discard what was typed; Esc, the × and Cancel ask first once something was.
      maskClosable={false}
    >
      {problem && <Alert data-testid="workspace-create-error" type="error" showIcon style={{ marginBottom: 16 }} message={t('workspaces.createFailed')} description={problem} />}
      <Form<WorkspaceFields> form={form} layout="vertical" initialValues={{ key: '', name: '', utc_offset_minutes: DEFAULT_ZONE }} onFinish={(fields) => void submit(fields)}>
        <Form.Item name="name" label={t('workspaces.name')} rules={[{ required: true, whitespace: true, message: t('workspaces.nameRequired') }]}>
          <Input data-testid="workspace-name" maxLength={128} autoFocus placeholder={t('workspaces.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="key" className="tb-hinted-field" label={t('workspaces.key')} extra={t('workspaces.keyHint')} rules={[{ required: true, message: t('workspaces.keyRequired') }, { pattern: KEY_PATTERN, message: t('workspaces.keyInvalid') }]}>
          <Input data-testid="workspace-key" maxLength={64} placeholder="shop-hz" onPressEnter={() => form.submit()} />
        </Form.Item>
        <Form.Item name="utc_offset_minutes" label={t('workspaces.zone')} extra={t('workspaces.zoneHint')}>
          <Select data-testid="workspace-zone" showSearch optionFilterProp="label" options={zones} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
