// Said beside a form whose save was refused because someone else changed what it edits since it
// was opened (412 to its If-Match), with the way to read the current version; nothing is retried by itself.
import type { CSSProperties } from 'react';
import { Alert, Button } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useSession } from '../hooks/useSession';

/** `style` places it in its form (the space around it): forms set it above or below their fields. */
export function ChangedSinceAlert({ testId, reloadTestId, message, reloading, onReload, style }: { testId: string; reloadTestId: string; message: string; reloading: boolean; onReload: () => void; style?: CSSProperties }) {
  const { t } = useSession();
  return (
    <Alert
      data-testid={testId}
      type="warning"
      showIcon
      style={style}
      message={message}
      action={
        <Button size="small" icon={<ReloadOutlined />} data-testid={reloadTestId} loading={reloading} onClick={onReload}>
          {t('common.reloadCurrent')}
        </Button>
      }
    />
  );
}
