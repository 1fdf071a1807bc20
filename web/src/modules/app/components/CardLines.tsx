// A card's lines on a phone: each label beside its value in two columns, a long value wrapping
// within its own column (the customer cards, the care plans' cards).
import { theme } from 'antd';
import type { ReactNode } from 'react';

export function CardLines({ lines }: { lines: readonly (readonly [string, ReactNode])[] }) {
  const { token } = theme.useToken();
  return (
    <dl style={{ margin: 0, display: 'grid', gridTemplateColumns: 'auto minmax(0, 1fr)', gap: '4px 12px' }}>
      {lines.map(([label, value]) => [
        <dt key={`label:${label}`} style={{ color: token.colorTextSecondary }}>
          {label}
        </dt>,
        <dd key={`value:${label}`} style={{ margin: 0, overflowWrap: 'anywhere' }}>
          {value}
        </dd>,
      ])}
    </dl>
  );
}
