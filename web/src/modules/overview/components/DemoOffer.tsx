import { Alert, Button, Form, Modal, Progress, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useReloadWhile } from '../../app/hooks/useReloadWhile';
import { useSession } from '../../app/hooks/useSession';
import { useSubmission } from '../../app/hooks/useSubmission';
import { formatNumber, groupedIntegerInput } from '../../app/utils/format';
import { NumberInput } from '../../app/components/NumberInput';

/** The workspace the console loads the demo store into, as `tagbase demo` does by default. */
const DEMO_WORKSPACE = 'demo';
const DEFAULT_CUSTOMERS = 20_000;
const MAX_CUSTOMERS = 100_000;

interface DemoJob {
  state: 'idle' | 'running' | 'done' | 'failed';
  workspace?: string;
  progress?: { stage: 'customers' | 'events'; done: number; total: number };
  summary?: { customers: number; events: number; assignments: number; seconds: number } | null;
  error?: { code: string; detail: { en: string; 'zh-CN': string } } | null;
}

/**
 * For a workspace without customers: try the product on a realistic demo shop, loaded by the
 * server while its progress shows, or open the demo workspace when there is one already.
 */
export function DemoOffer() {
  const { t, workspace, setWorkspace } = useSession();
  const { serverWide } = usePermissions();
  const workspaces = useApiQuery<{ items: { key: string }[] }>('/workspaces');
  const [open, setOpen] = useState(false);
  // Loading a demo makes a workspace, which only an administrator over every workspace may.
  // Until the list is read, which of the two to offer is not known.
  if (!serverWide || !workspaces.data) return null;
  const demoExists = workspaces.data.items.some((item) => item.key === DEMO_WORKSPACE);
  if (demoExists && workspace !== DEMO_WORKSPACE) {
    return (
      <Button data-testid="demo-open" size="small" onClick={() => setWorkspace(DEMO_WORKSPACE)}>
        {t('demo.open')}
      </Button>
    );
  }
  return (
    <>
      <Button data-testid="demo-load" size="small" onClick={() => setOpen(true)}>
        {t('demo.load')}
      </Button>
      {open && <DemoDialog onClose={() => setOpen(false)} onOpen={() => setWorkspace(DEMO_WORKSPACE)} />}
    </>
  );
}

function DemoDialog({ onClose, onOpen }: { onClose: () => void; onOpen: () => void }) {
  const { t, lang } = useSession();
  const api = useApi();
  const query = useApiQuery<DemoJob>('/demo');
  // The job as the start answered it, until the server is asked again: a busy server may take a moment to answer.
  const [posted, setPosted] = useState<DemoJob>();
  const job = posted && (!query.data || query.data.state === 'idle') ? { ...query, data: posted } : query;
  const state = job.data?.state;
  useReloadWhile(query, state === 'running');
  const { reload } = query;
  const started = useCallback(
    (answer: DemoJob) => {
      setPosted(answer);
      reload();
    },
    [reload],
  );
  const { busy, problem, submit } = useSubmission(started);
  const [customers, setCustomers] = useState<number | null>(DEFAULT_CUSTOMERS);
  const start = () => void submit(() => api.post<DemoJob>('/demo', { workspace: DEMO_WORKSPACE, customers: customers ?? DEFAULT_CUSTOMERS }));
  const number = (value: number) => formatNumber(value, lang);
  const progress = job.data?.progress;
  const percent = progress && progress.total > 0 ? Math.min(100, Math.floor((progress.done / progress.total) * 100)) : 0;
  const finished = state === 'done' && job.data?.workspace === DEMO_WORKSPACE;
  const footer = finished
    ? [
        <Button key="close" onClick={onClose}>
          {t('demo.close')}
        </Button>,
        <Button key="open" type="primary" data-testid="demo-open-loaded" onClick={onOpen}>
          {t('demo.open')}
        </Button>,
      ]
    : state === 'running'
      ? [
          <Button key="hide" onClick={onClose}>
            {t('demo.hide')}
          </Button>,
        ]
      : [
          <Button key="cancel" onClick={onClose}>
            {t('common.cancel')}
          </Button>,
          <Button key="start" type="primary" loading={busy} disabled={job.loading && !job.data} data-testid="demo-start" onClick={start}>
            {t('demo.start')}
          </Button>,
        ];
  return (
    <Modal open title={t('demo.title')} onCancel={onClose} footer={footer} maskClosable={false}>
      {problem && <Alert data-testid="demo-error" type="error" showIcon style={{ marginBottom: 16 }} message={t('demo.failed')} description={problem} />}
      {job.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('common.error')} description={job.error.message} />}
      {state === 'failed' && job.data?.error && (
        <Alert data-testid="demo-error" type="error" showIcon style={{ marginBottom: 16 }} message={t('demo.failed')} description={lang === 'en-US' ? job.data.error.detail.en : job.data.error.detail['zh-CN']} />
      )}
      {state === 'running' && progress && (
        <div data-testid="demo-progress">
          <Typography.Paragraph>{t(progress.stage === 'customers' ? 'demo.stageCustomers' : 'demo.stageEvents', { done: number(progress.done), total: number(progress.total) })}</Typography.Paragraph>
          <Progress aria-label={t('demo.progress')} percent={percent} status="active" />
          <Typography.Paragraph type="secondary">{t('demo.meanwhile')}</Typography.Paragraph>
        </div>
      )}
      {finished && job.data?.summary && (
        <Alert
          data-testid="demo-done"
          type="success"
          showIcon
          message={t('demo.done', { customers: number(job.data.summary.customers), events: number(job.data.summary.events), seconds: number(Math.round(job.data.summary.seconds)) })}
        />
      )}
      {state !== 'running' && !finished && (
        <>
          <Typography.Paragraph>{t('demo.what')}</Typography.Paragraph>
          <Form layout="vertical">
            <Form.Item label={t('demo.customers')} extra={t('demo.customersHint', { max: number(MAX_CUSTOMERS) })}>
              <NumberInput {...groupedIntegerInput(lang)} data-testid="demo-customers" min={100} max={MAX_CUSTOMERS} step={1000} precision={0} value={customers} onChange={setCustomers} style={{ width: 200 }} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
