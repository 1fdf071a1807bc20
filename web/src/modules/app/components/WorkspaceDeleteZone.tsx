import { Alert, App, Button, Divider, Input, Progress, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useApi } from '../hooks/useApi';
import { useSession } from '../hooks/useSession';
import { errorText } from '../utils/api';
import { workspaceLabel } from '../utils/workspaceLabel';
import type { WorkspaceJson } from './WorkspaceCreateDialog';

interface Props {
  workspace: WorkspaceJson;
  /** The workspace is gone: the console moves to the default one. */
  onDeleted: () => void;
}

/** How often the list of workspaces is read for the deletion's progress while it runs. */
const PROGRESS_EVERY_MS = 1000;

/**
 * The foot of 修改工作空间 for an administrator over every workspace: deleting the workspace and
 * everything in it (a test workspace, a shop that closed). It cannot be undone, so the operator
 * types the key again, as the server asks (`?confirm=`). The server deletes a large workspace in
 * batches and answers once it is gone; meanwhile the list of workspaces says how far it is, shown
 * as a bar.
 */
export function WorkspaceDeleteZone({ workspace, onDeleted }: Props) {
  const { t, lang } = useSession();
  const api = useApi();
  const { message } = App.useApp();
  const [typed, setTyped] = useState('');
  const [deleting, setDeleting] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [progress, setProgress] = useState<{ deleted_rows: number; total_rows: number | null }>();
  const key = workspace.key;
  useEffect(() => {
    if (!deleting) return;
    let stopped = false;
    const look = async () => {
      const listed = await api.get<{ items: WorkspaceJson[] }>('/workspaces').catch(() => undefined);
      const state = listed?.items.find((item) => item.key === key)?.deleting;
      if (!stopped && state) setProgress(state);
    };
    const timer = setInterval(() => void look(), PROGRESS_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [deleting, api, key]);
  const remove = async () => {
    setDeleting(true);
    setProblem(undefined);
    try {
      await api.del(`/workspaces/${encodeURIComponent(key)}?confirm=${encodeURIComponent(key)}`);
      message.success(t('workspaces.deleted', { name: workspaceLabel(t, workspace) }));
      onDeleted();
    } catch (error) {
      setProblem(errorText(error));
      setDeleting(false);
    }
  };
  return (
    <div data-testid="workspace-delete-zone">
      <Divider style={{ margin: '8px 0 12px' }} />
      <Typography.Title level={5} type="danger" style={{ marginTop: 0 }}>
        {t('workspaces.delete')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('workspaces.deleteWarning')}</Typography.Paragraph>
      {deleting && progress && progress.total_rows !== null && (
        <div data-testid="workspace-delete-progress" style={{ marginBottom: 12 }}>
          <Progress aria-label={t('workspaces.delete')} percent={progress.total_rows === 0 ? 100 : Math.floor((progress.deleted_rows / progress.total_rows) * 100)} size="small" />
          <Typography.Text type="secondary">{t('workspaces.deleteProgress', { deleted: progress.deleted_rows.toLocaleString(lang), total: progress.total_rows.toLocaleString(lang) })}</Typography.Text>
        </div>
      )}
      {problem && <Alert data-testid="workspace-delete-error" type="error" showIcon style={{ marginBottom: 12 }} message={problem} />}
      <Typography.Paragraph>{t('workspaces.deleteTypeKey', { key })}</Typography.Paragraph>
      <div style={{ display: 'flex', gap: 8 }}>
        <Input data-testid="workspace-delete-key" value={typed} onChange={(event) => setTyped(event.target.value)} placeholder={key} autoComplete="off" />
        <Button danger data-testid="workspace-delete" disabled={typed.trim() !== key} loading={deleting} onClick={() => void remove()}>
          {t('workspaces.deleteButton')}
        </Button>
      </div>
    </div>
  );
}
