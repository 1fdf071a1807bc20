import { Typography } from 'antd';
import { useState } from 'react';
import { useSession } from '../../app/hooks/useSession';
import type { SizePoint } from '../hooks/useSegmentSizes';
import type { SegmentJson } from '../hooks/useSegments';
import { SegmentTrend } from './SegmentTrend';

const WIDTH = 72;
const HEIGHT = 28;

/**
 * A segment's recent sizes as a small line, with the change since the first of them (the day in its
 * tooltip); a click draws its whole trend. When they could not be read, says so, with why on hover.
 */
export function SizeSparkline({ segment, points, failure }: { segment: SegmentJson; points: SizePoint[] | undefined; failure?: string | undefined }) {
  const { t, lang } = useSession();
  const [open, setOpen] = useState(false);
  if (failure !== undefined && !points) {
    return (
      <Typography.Text type="warning" title={failure} style={{ whiteSpace: 'nowrap' }}>
        {t('segments.notRead')}
      </Typography.Text>
    );
  }
  if (!points || points.length === 0) return <Typography.Text type="secondary">…</Typography.Text>;
  const values = points.map((point) => point.members);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const x = (k: number) => (points.length === 1 ? WIDTH / 2 : (k / (points.length - 1)) * (WIDTH - 4) + 2);
  const y = (value: number) => (high === low ? HEIGHT / 2 : HEIGHT - 3 - ((value - low) / (high - low)) * (HEIGHT - 6));
  const line = values.map((value, k) => `${x(k).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
  const first = points[0] as SizePoint;
  const last = points[points.length - 1] as SizePoint;
  const change = last.members - first.members;
  const signed = `${change > 0 ? '+' : change < 0 ? '−' : '±'}${Math.abs(change).toLocaleString(lang)}`;
  const summary = points.length > 1 ? t('segments.trendChange', { day: first.day, change: signed }) : t('segments.trendSingle');
  // Named with the change it shows as well, as it reads (the name holds what is seen: WCAG's label in name).
  const label = `${summary} · ${t('segments.trendOpen', { name: segment.name })}`;
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} aria-label={label} title={label} style={{ display: 'inline-flex', alignItems: 'center', gap: 8, background: 'none', border: 0, padding: 0, cursor: 'pointer' }}>
        <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden>
          {points.length > 1 && <polyline points={line} fill="none" stroke="#1677ff" strokeWidth={1.5} strokeLinejoin="round" />}
          <circle cx={x(points.length - 1)} cy={y(last.members)} r={2.5} fill="#1677ff" />
        </svg>
        <Typography.Text type={change > 0 ? 'success' : change < 0 ? 'danger' : 'secondary'} style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
          {points.length > 1 ? signed : '—'}
        </Typography.Text>
      </button>
      {open && <SegmentTrend segment={segment} onClose={() => setOpen(false)} />}
    </>
  );
}
