import { Typography } from 'antd';
import type { ReactNode } from 'react';

/** A picker with its name before it, as the profile card's pickers stand. */
export function PickerRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
      <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
        {label}
      </Typography.Text>
      {children}
    </div>
  );
}
