import { Alert, Button, Modal, Space, Typography } from 'antd';
import type { ReactNode } from 'react';

interface Props {
  title: string;
  /** Why it must be copied now. */
  warning: string;
  /** The secret itself (a token, a signing secret): shown with a copy button. */
  value: string;
  closeLabel: string;
  onClose: () => void;
  /** `<testId>` wraps the dialog's content, `<testId>-value` the value, `<testId>-close` the button. */
  testId: string;
  /** What is said about it besides, under or above the value. */
  before?: ReactNode;
  after?: ReactNode;
}

/** A secret the server answers once and keeps only a hash or copy of: closed only on purpose, never by a stray click. */
export function ShownOnceDialog({ title, warning, value, closeLabel, onClose, testId, before, after }: Props) {
  return (
    <Modal
      open
      title={title}
      closable={false}
      maskClosable={false}
      keyboard={false}
      onCancel={onClose}
      footer={
        <Button type="primary" data-testid={`${testId}-close`} onClick={onClose}>
          {closeLabel}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} data-testid={testId}>
        <Alert type="warning" showIcon message={warning} />
        {before}
        <Typography.Text data-testid={`${testId}-value`} code copyable={{ text: value }} style={{ wordBreak: 'break-all' }}>
          {value}
        </Typography.Text>
        {after}
      </Space>
    </Modal>
  );
}
