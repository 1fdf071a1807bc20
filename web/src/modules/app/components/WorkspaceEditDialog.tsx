import { Alert, App, Form, Input, Modal, Select, type ButtonProps } from 'antd';
import { useApi } from '../hooks/useApi';
import { useOpenedVersion } from '../hooks/useOpenedVersion';
import { usePermissions } from '../hooks/usePermissions';
import { useFocusReturn } from '../hooks/useFocusReturn';
import { useGuardedClose } from '../hooks/useGuardedClose';
import { useSession } from '../hooks/useSession';
import { useSubmission } from '../hooks/useSubmission';
import { workspaceLabel } from '../utils/workspaceLabel';
import { DEFAULT_ZONE, zoneOptions } from '../utils/zones';
import { ChangedSinceAlert } from './ChangedSinceAlert';
import type { WorkspaceJson } from './WorkspaceCreateDialog';
import { WorkspaceDeleteZone } from './WorkspaceDeleteZone';

interface Fields {
  name: string;
  utc_offset_minutes: number;
}

/** What the dialog edits of the workspace. */
const definitionOf = (workspace: WorkspaceJson) => JSON.stringify([workspace.name, workspace.utc_offset_minutes ?? DEFAULT_ZONE]);

interface Props {
  /** The workspace the console acts in, as the switcher lists it: the one `PATCH /workspace` changes. */
  workspace: WorkspaceJson;
  /** The workspace as saved, or nothing when the dialog was cancelled or nothing changed. */
  onClose: (saved?: WorkspaceJson) => void;
  /** The workspace was deleted (from the dialog's foot, for an administrator over every workspace). */
  onDeleted: () => void;
}

/**
 * Renames the workspace the console acts in, or moves it to another time zone (administrators);
 * at its foot, an administrator over every workspace deletes it.
 * Only what changed is sent: a new zone makes the server recount every customer's days.
 */
export function WorkspaceEditDialog({ workspace, onClose, onDeleted }: Props) {
  useFocusReturn();
  const { t, setWorkspaceZone } = useSession();
  // A store's own administrator renames it but does not delete it; nor is the default one deleted.
  const { serverWide } = usePermissions();
  const mayDelete = serverWide && workspace.key !== 'default';
  const api = useApi();
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  // Saved only over the version opened: a rename or a new zone someone else saved since is refused.
  const opened = useOpenedVersion('/workspace', workspace, definitionOf);
  const saved = opened.current ?? workspace;
  const zone = saved.utc_offset_minutes ?? DEFAULT_ZONE;
  const chosenZone = Form.useWatch('utc_offset_minutes', form) ?? zone;
  const done = (saved?: WorkspaceJson) => {
    if (saved) {
      if (saved.utc_offset_minutes !== undefined) setWorkspaceZone(saved.key, saved.utc_offset_minutes);
      message.success(t('workspaces.saved', { name: workspaceLabel(t, saved) }));
    }
    onClose(saved);
  };
  const { busy, problem, submit: send } = useSubmission(done, opened.refused);
  const cancel = useGuardedClose(() => form.isFieldsTouched(), () => onClose());
  const submit = ({ name, utc_offset_minutes }: Fields) => {
    const patch = { ...(name.trim() !== saved.name ? { name: name.trim() } : {}), ...(utc_offset_minutes !== zone ? { utc_offset_minutes } : {}) };
    // The server refuses a change of nothing; closing says the same.
    if (Object.keys(patch).length === 0) return onClose();
    return send(async () => (await api.patchIf<WorkspaceJson>('/workspace', patch, await opened.ifMatch())).body);
  };
  return (
    <Modal
      open
      title={t('workspaces.editTitle', { name: workspaceLabel(t, workspace) })}
      okText={t('workspaces.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, 'data-testid': 'workspace-edit-submit' } as ButtonProps}
      onOk={() => form.submit()}
      onCancel={cancel}
      // A stray click beside it would discard what was typed; Esc, the × and Cancel ask first once something was.
      maskClosable={false}
    >
      {opened.conflict && (
        <ChangedSinceAlert
          style={{ marginBottom: 16 }}
          testId="workspace-conflict"
          reloadTestId="workspace-conflict-reload"
          message={t('workspaces.changedSince')}
          reloading={opened.reloading}
          onReload={() => void opened.reload((now) => form.setFieldsValue({ name: now.name, utc_offset_minutes: now.utc_offset_minutes ?? DEFAULT_ZONE }))}
        />
      )}
      {problem && <Alert data-testid="workspace-edit-error" type="error" showIcon style={{ marginBottom: 16 }} message={t('workspaces.editFailed')} description={problem} />}
      <Form<Fields> form={form} layout="vertical" initialValues={{ name: workspace.name, utc_offset_minutes: zone }} onFinish={(fields) => void submit(fields)}>
        <Form.Item name="name" className="tb-hinted-field" label={t('workspaces.name')} extra={t('workspaces.keyFixed', { key: workspace.key })} rules={[{ required: true, whitespace: true, message: t('workspaces.nameRequired') }]}>
          <Input data-testid="workspace-edit-name" maxLength={128} autoFocus onPressEnter={() => form.submit()} />
        </Form.Item>
        <Form.Item name="utc_offset_minutes" label={t('workspaces.zone')}>
          <Select data-testid="workspace-edit-zone" showSearch optionFilterProp="label" options={zoneOptions(t, zone)} />
        </Form.Item>
        {/* Said before it is saved: every customer's days move, and what is counted by them. */}
        {chosenZone !== zone && <Alert data-testid="workspace-zone-warning" type="warning" showIcon message={t('workspaces.zoneChange')} />}
      </Form>
      {mayDelete && <WorkspaceDeleteZone workspace={workspace} onDeleted={onDeleted} />}
    </Modal>
  );
}
