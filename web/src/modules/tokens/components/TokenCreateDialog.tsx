import { Alert, Form, Input, Modal, Select, type ButtonProps, type InputRef } from 'antd';
import { useRef } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import { useSubmission } from '../../app/hooks/useSubmission';
import type { Role } from '../../app/utils/types';
import { useAccessTokenChanges } from '../hooks/useAccessTokenChanges';
import type { MadeAccessToken } from '../utils/types';
import { RoleSelect } from './RoleSelect';
import { useFocusReturn } from '../../app/hooks/useFocusReturn';
import { useGuardedClose } from '../../app/hooks/useGuardedClose';
import { workspaceLabel } from '../../app/utils/workspaceLabel';

interface Props {
  /** No live token yet: the one made here closes the API, so it must be an administrator's. */
  firstToken: boolean;
  /** The answer with the token in it, or nothing when the dialog was cancelled. */
  onClose: (made?: MadeAccessToken) => void;
}

interface Fields {
  name: string;
  role: Role;
  /** 0 for never. */
  days: number;
  /** Empty for every workspace; absent when the field is not shown (the first token). */
  workspaces?: string[];
}

const LIFETIMES = [0, 7, 30, 90, 365];

/** A name and a role for a new token; the server's refusal is shown here, in its own words. */
export function TokenCreateDialog({ firstToken, onClose }: Props) {
  useFocusReturn();
  const { t } = useSession();
  const { create } = useAccessTokenChanges();
  const [form] = Form.useForm<Fields>();
  const nameInput = useRef<InputRef>(null);
  const { busy, problem, submit: send } = useSubmission(onClose);
  const cancel = useGuardedClose(() => form.isFieldsTouched(), () => onClose());
  const { data: workspaceList } = useApiQuery<{ items: { key: string; name: string }[] }>('/workspaces');

  const submit = ({ name, role, days, workspaces }: Fields) =>
    send(() => create({ name: name.trim(), role, ...(days > 0 ? { expires_in_days: days } : {}), ...(workspaces && workspaces.length > 0 ? { workspaces } : {}) }));

  return (
    <Modal
      open
      title={t('tokens.create')}
      okText={t('tokens.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, 'data-testid': 'token-submit' } as ButtonProps}
      onOk={() => form.submit()}
      onCancel={cancel}
      // The name is typed first. autoFocus alone does not hold: the dialog is hidden while its fields mount, then takes the focus itself.
      // Only while the dialog itself holds the focus: the open animation can end after a quick
      // hand (or a slow machine) has already moved to another field, whose list would close.
      afterOpenChange={(open) => {
        if (open && !document.activeElement?.closest('.ant-form-item')) nameInput.current?.focus();
      }}
      // A stray click beside it would discard what was typed; Esc, the × and Cancel ask first once something was.
      maskClosable={false}
    >
      {firstToken && <Alert data-testid="token-first-note" type="info" showIcon style={{ marginBottom: 16 }} message={t('tokens.firstNote')} />}
      {problem && <Alert data-testid="token-create-error" type="error" showIcon style={{ marginBottom: 16 }} message={t('tokens.createFailed')} description={problem} />}
      <Form<Fields> form={form} layout="vertical" initialValues={{ name: '', role: firstToken ? 'admin' : 'operator', days: 0, workspaces: [] }} onFinish={(fields) => void submit(fields)}>
        <Form.Item name="name" className="tb-hinted-field" label={t('tokens.name')} extra={t('tokens.nameHint')} rules={[{ required: true, whitespace: true, message: t('tokens.nameRequired') }]}>
          <Input ref={nameInput} data-testid="token-name" maxLength={64} onPressEnter={() => form.submit()} placeholder={t('tokens.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="role" label={t('tokens.role')}>
          <RoleSelect adminOnly={firstToken} />
        </Form.Item>
        <Form.Item name="days" label={t('tokens.lifetime')} extra={t('tokens.lifetimeHint')}>
          <Select data-testid="token-lifetime" options={LIFETIMES.map((days) => ({ value: days, label: days === 0 ? t('tokens.never') : t('tokens.days', { days }) }))} />
        </Form.Item>
        {!firstToken && (
          <Form.Item name="workspaces" label={t('tokens.workspaces')} extra={t('tokens.workspacesHint')}>
            <Select
              data-testid="token-workspaces"
              mode="multiple"
              allowClear
              placeholder={t('tokens.everyWorkspace')}
              options={(workspaceList?.items ?? []).map((workspace) => ({ value: workspace.key, label: workspaceLabel(t, workspace) }))}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
