import { Alert, Button, Space } from 'antd';
import { useSyncExternalStore } from 'react';
import { useLocation } from 'react-router';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import { useWorkspaceChange } from '../../app/hooks/useWorkspaceChange';
import type { WorkspaceJson } from '../../app/components/WorkspaceCreateDialog';
import { lastListedWorkspaces, rememberListedWorkspaces } from '../../app/utils/listedWorkspaces';
import { workspaceLabel } from '../../app/utils/workspaceLabel';
import { cancelImport, importJobs, markImportSeen, subscribeImportJobs, type ImportJob } from '../state/importJobs';

/**
 * Above every page, the imports not on screen: one still sending its file to a workspace (this one
 * from another page, or one the operator has since switched away from), with how far it has got,
 * a way back to it and a way to stop it; and one that ended there unseen, until it is looked at.
 */
export function ImportsElsewhere() {
  const { workspace, t, token } = useSession();
  const { pathname } = useLocation();
  const jobs = useSyncExternalStore(subscribeImportJobs, importJobs);
  // The import page of the workspace in use shows its own import.
  const shown = [...jobs.values()].filter((job) => (job.running || !job.seen) && !(job.workspace === workspace && pathname === '/imports'));
  const listed = useApiQuery<{ items: WorkspaceJson[] }>(shown.length > 0 ? '/workspaces' : null);
  if (listed.data) rememberListedWorkspaces(token, listed.data.items);
  if (shown.length === 0) return null;
  const names = listed.data?.items ?? lastListedWorkspaces(token) ?? [];
  const known = (key: string) => names.find((item) => item.key === key);
  // A notice waits for the first names rather than show a key replaced by its name a moment later;
  // a workspace the list lacks, or a list that cannot be read, is shown by its key.
  if (listed.loading && shown.some((job) => !known(job.workspace))) return null;
  const named = (key: string) => {
    const workspace = known(key);
    return workspace ? workspaceLabel(t, workspace) : key;
  };
  return (
    <Space direction="vertical" style={{ width: '100%', marginBottom: 16 }} data-testid="imports-elsewhere">
      {shown.map((job) => (
        <ImportNotice key={job.workspace} job={job} workspaceName={named(job.workspace)} />
      ))}
    </Space>
  );
}

function ImportNotice({ job, workspaceName }: { job: ImportJob; workspaceName: string }) {
  const { t } = useSession();
  const changeWorkspace = useWorkspaceChange();
  const { done, total } = job.progress;
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
  const words = { workspace: workspaceName, file: job.fileName, percent };
  const state = job.running ? 'running' : job.error ? 'failed' : job.cancelled ? 'cancelled' : 'done';
  return (
    <Alert
      data-testid="import-elsewhere"
      data-workspace={job.workspace}
      data-state={state}
      type={state === 'running' ? 'info' : state === 'failed' ? 'error' : state === 'cancelled' ? 'warning' : 'success'}
      showIcon
      message={t(`imports.elsewhere.${state}`, words)}
      action={
        <Space size="small" wrap>
          <Button size="small" data-testid="import-elsewhere-open" aria-label={t('imports.elsewhere.openNamed', words)} onClick={() => changeWorkspace(job.workspace, '/imports')}>
            {t('imports.elsewhere.open')}
          </Button>
          {job.running ? (
            <Button size="small" data-testid="import-elsewhere-stop" aria-label={t('imports.elsewhere.stopNamed', words)} onClick={() => cancelImport(job.workspace)}>
              {t('imports.cancel')}
            </Button>
          ) : (
            <Button size="small" type="text" data-testid="import-elsewhere-dismiss" aria-label={t('imports.elsewhere.dismissNamed', words)} onClick={() => markImportSeen(job.workspace)}>
              {t('imports.elsewhere.dismiss')}
            </Button>
          )}
        </Space>
      }
    />
  );
}
