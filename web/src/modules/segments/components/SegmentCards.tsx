// The saved segments as cards on a phone, one a screen wide: what the list's table shows on a wider screen.
import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { CardLines } from '../../app/components/CardLines';
import { RowCards } from '../../app/components/RowCards';
import { useSession } from '../../app/hooks/useSession';
import type { SegmentJson } from '../hooks/useSegments';

/** Each segment's card, by the key it carries: where the focus goes to once one is saved or deleted. */
export const SEGMENT_CARDS = '.tb-segment-card[data-row-key]';

interface Props {
  segments: SegmentJson[];
  loading: boolean;
  /** What the list says when it has none. */
  empty: ReactNode;
  /** A segment's count, linking to its members; when it was last saved; its recent sizes; its buttons. */
  count: (segment: SegmentJson) => ReactNode;
  updated: (segment: SegmentJson) => ReactNode;
  trend: (segment: SegmentJson) => ReactNode;
  actions: (segment: SegmentJson) => ReactNode;
}

/**
 * The saved segments on a phone, one card each, the screen's width: the name and key, then the
 * expression, the count, when it was last saved and its recent sizes, each beside its label, and the
 * buttons at the foot. In the table the actions lay past the screen's edge, a sideways scroll away.
 */
export function SegmentCards({ segments, loading, empty, count, updated, trend, actions }: Props) {
  const { t } = useSession();
  return (
    <RowCards<SegmentJson>
      testId="segment-list"
      rows={segments}
      rowKey={(segment) => segment.key}
      cardClassName="tb-segment-card"
      cardTestId={(segment) => `segment-card-${segment.key}`}
      loading={loading}
      empty={empty}
    >
      {(segment) => (
        <>
          <div style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
            <Typography.Text strong>{segment.name}</Typography.Text> <Typography.Text type="secondary">{segment.key}</Typography.Text>
          </div>
          <CardLines
            lines={[
              [t('segments.expression'), <Typography.Text key="expression" code>{segment.expression}</Typography.Text>],
              [t('segments.count'), count(segment)],
              [t('segments.updated'), updated(segment)],
              [t('segments.trend'), trend(segment)],
            ]}
          />
          {actions(segment)}
        </>
      )}
    </RowCards>
  );
}
