import { App, Button, Card, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useSession } from '../../app/hooks/useSession';
import { errorText } from '../../app/utils/api';

/**
 * Merging another record of the same person into the customer shown: its identities, events,
 * tags and history come here, and its id leads here from then on. It cannot be undone, so it
 * asks first, naming the record that stays and the one merged into it.
 */
export function MergeCustomer({ customerId, onMerged }: { customerId: string; onMerged: () => void }) {
  const { t } = useSession();
  const api = useApi();
  const { message } = App.useApp();
  const [typed, setTyped] = useState('');
  const [open, setOpen] = useState(false);
  const [merging, setMerging] = useState(false);
  const from = typed.trim();
  const pair = { customer: from, other: customerId };
  const merge = async () => {
    setMerging(true);
    try {
      await api.post(`/customers/${encodeURIComponent(customerId)}/merge`, { from });
      message.success(t('merge.done', pair));
      setOpen(false);
      setTyped('');
      onMerged();
    } catch (error) {
      // An unknown id, this customer's own id, or one merged into it before: said in the server's
      // words, and the question put away so that the id can be corrected.
      setOpen(false);
      message.error(errorText(error));
    } finally {
      setMerging(false);
    }
  };
  const ask = () => {
    if (from !== '') setOpen(true);
  };
  return (
    <Card size="small" title={t('portrait.merge.title')}>
      <Typography.Paragraph type="secondary">{t('portrait.merge.help', { id: customerId })}</Typography.Paragraph>
      <Space.Compact style={{ width: '100%' }}>
        <Input data-testid="merge-from" aria-label={t('portrait.merge.from')} placeholder={t('portrait.merge.from')} value={typed} onChange={(event) => setTyped(event.target.value)} onPressEnter={ask} />
        <Button data-testid="merge-open" disabled={from === ''} onClick={ask}>
          {t('portrait.merge.button')}
        </Button>
      </Space.Compact>
      <Modal
        open={open}
        title={t('merge.title', pair)}
        okText={t('merge.ok')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, loading: merging, ...{ 'data-testid': 'merge-confirm' } }}
        onOk={() => void merge()}
        onCancel={() => setOpen(false)}
      >
        <Typography.Paragraph data-testid="merge-question">{t('merge.body', pair)}</Typography.Paragraph>
      </Modal>
    </Card>
  );
}
