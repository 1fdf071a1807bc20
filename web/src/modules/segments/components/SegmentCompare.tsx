import { Alert, Card, Descriptions, Empty, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useAddressParams } from '../../app/hooks/useAddressParams';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import { segmentsRevision, type SegmentJson } from '../hooks/useSegments';
import { VennDiagram, type OverlapJson } from './VennDiagram';

/** Picks two or three saved segments and shows how their members overlap. */
export function SegmentCompare({ segments, settled }: { segments: SegmentJson[]; /** Whether the saved segments have been read. */ settled: boolean }) {
  const { t, lang } = useSession();
  // In the address, so that a reload or a shared link shows the same comparison.
  const [params, changeParams] = useAddressParams();
  // Keys are letters, digits, _ and -, so a comma parts them; one deleted since is left out.
  // Chosen here first: the address follows a moment later, and a second pick made before it has must add to the first.
  const [chosen, setChosen] = useState<string[]>(() => (params.get('compare') ?? '').split(',').filter(Boolean));
  const picked = useMemo(() => chosen.filter((key) => segments.some((segment) => segment.key === key)), [chosen, segments]);
  const setPicked = (keys: string[]) => {
    setChosen(keys);
    changeParams((next) => (keys.length > 0 ? next.set('compare', keys.join(',')) : next.delete('compare')));
  };
  const ready = picked.length >= 2 && picked.length <= 3;
  const overlap = useApiQuery<OverlapJson>(ready ? '/segments/overlap' : null, 'POST', ready ? { segments: picked } : undefined);
  // A segment saved since (one compared, or one they read) changes the overlap: read again, rather
  // than showing the sizes from before beside the list's new counts. Not on the list's first answer.
  const revision = segmentsRevision(segments);
  const seen = useRef(revision);
  const { reload } = overlap;
  useEffect(() => {
    const before = seen.current;
    seen.current = revision;
    if (before !== '' && before !== revision) reload();
  }, [revision, reload]);
  const names = new Map(segments.map((segment) => [segment.key, segment.name]));
  const data = ready ? overlap.data : undefined;
  return (
    <Card title={t('compare.title')} style={{ marginTop: 16 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select
          data-testid="compare-picker"
          aria-label={t('compare.pick')}
          mode="multiple"
          maxCount={3}
          style={{ width: '100%' }}
          placeholder={t('compare.pick')}
          value={picked}
          onChange={setPicked}
          options={segments.map((segment) => ({ value: segment.key, label: segment.name }))}
        />
        {!ready ? (
          // With fewer than two saved there is nothing to pick from yet: said, rather than asking for a pick.
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(settled && segments.length < 2 ? 'compare.tooFew' : 'compare.hint')} data-testid="compare-hint" />
        ) : overlap.error ? (
          <Alert type="error" showIcon message={overlap.error.message} />
        ) : data ? (
          <Space align="start" size={24} wrap>
            <VennDiagram order={picked} names={names} overlap={data} />
            <Descriptions size="small" column={1} data-testid="compare-sizes">
              {picked.map((key) => (
                <Descriptions.Item key={key} label={names.get(key) ?? key}>
                  <span data-testid={`compare-size-${key}`}>{(data.sizes[key] ?? 0).toLocaleString(lang)}</span>
                </Descriptions.Item>
              ))}
              <Descriptions.Item label={t('compare.intersection')}>
                <span data-testid="compare-intersection">{data.intersection.toLocaleString(lang)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('compare.union')}>{data.union.toLocaleString(lang)}</Descriptions.Item>
            </Descriptions>
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>
        )}
      </Space>
    </Card>
  );
}
