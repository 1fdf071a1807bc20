import { App, Button, Card, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useApi } from '../../app/hooks/useApi';
import { useSession } from '../../app/hooks/useSession';
import { errorText } from '../../app/utils/api';

/**
 * Erasing a customer on request (PIPL, GDPR). It cannot be undone, so the operator types the
 * customer's id to confirm, as they would read it from the request in hand.
 */
export function EraseCustomer({ customerId }: { customerId: string }) {
  const { t } = useSession();
  const api = useApi();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [erasing, setErasing] = useState(false);
  const erase = async () => {
    setErasing(true);
    try {
      await api.del(`/customers/${encodeURIComponent(customerId)}`);
      message.success(t('portrait.erase.done', { id: customerId }));
      setOpen(false);
      void navigate('/customers');
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setErasing(false);
    }
  };
  return (
    <Card size="small" title={t('portrait.erase.title')}>
      <Typography.Paragraph type="secondary">{t('portrait.erase.help')}</Typography.Paragraph>
      <Button
        danger
        data-testid="erase-open"
        onClick={() => {
          setTyped('');
          setOpen(true);
        }}
      >
        {t('portrait.erase.button')}
      </Button>
      <Modal
        open={open}
        title={t('portrait.erase.confirmTitle', { id: customerId })}
        okText={t('portrait.erase.ok')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, disabled: typed.trim() !== customerId, loading: erasing, ...{ 'data-testid': 'erase-confirm' } }}
        onOk={() => void erase()}
        onCancel={() => setOpen(false)}
      >
        <Typography.Paragraph>{t('portrait.erase.warning')}</Typography.Paragraph>
        <Typography.Paragraph>{t('portrait.erase.typeId', { id: customerId })}</Typography.Paragraph>
        <Input data-testid="erase-id" value={typed} onChange={(event) => setTyped(event.target.value)} placeholder={customerId} />
      </Modal>
    </Card>
  );
}
