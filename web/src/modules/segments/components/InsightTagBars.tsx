import { Card, Grid, Tooltip, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { ModelWords } from '../../models/hooks/useModelWords';
import { overIndexes } from '../hooks/useSegmentInsight';
import type { InsightTag } from '../../../../../src/core/segment-insight';

/** The segment's bar in the value's own colour, everyone's in grey beneath it. */
const EVERYONE_COLOUR = '#bfbfbf';
const SEGMENT_COLOUR = '#1677ff';
const OVER_COLOUR = '#cf1322';

const percent = (share: number, lang: string) => share.toLocaleString(lang, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

function Bar({ share, colour, testId }: { share: number; colour: string; testId: string }) {
  return (
    <div style={{ height: 8, background: '#f5f5f5', borderRadius: 4 }}>
      <div data-testid={testId} style={{ width: `${Math.min(share, 1) * 100}%`, height: '100%', background: colour, borderRadius: 4 }} />
    </div>
  );
}

/**
 * One tag's values in the tag's order: the share of the segment that holds each against the share
 * of everyone, as two bars, and the TGI; a value the segment holds more than everyone (by enough
 * members) is marked. A model's tag reads in the catalog's English words in English.
 */
export function InsightTagBars({ tag, minMembers, words }: { tag: InsightTag; minMembers: number; words: ModelWords }) {
  const { t, lang } = useSession();
  // On a phone a value's name has a line of its own above its bars: in the column beside them it was
  // cut to its first word, and RFM's eight values read as General … and Important … alike.
  const phone = Grid.useBreakpoint().md === false;
  return (
    <Card size="small" title={words.tagName(tag)} data-testid={`segment-insight-tag-${tag.key}`}>
      {tag.values.map((value) => {
        const over = overIndexes(value, minMembers);
        const testId = `segment-insight-value-${tag.key}-${value.key}`;
        return (
          <div key={value.key} data-testid={testId} data-over={over ? 'true' : 'false'} style={{ display: 'grid', gridTemplateColumns: phone ? '1fr 112px 56px' : 'minmax(72px, 1fr) 2fr 112px 56px', gap: phone ? '2px 12px' : 12, alignItems: 'center', padding: '4px 0' }}>
            {phone ? (
              <Typography.Text strong={over} style={{ gridColumn: '1 / -1', overflowWrap: 'anywhere' }}>
                {words.valueName(tag, value)}
              </Typography.Text>
            ) : (
              <Typography.Text strong={over} ellipsis={{ tooltip: words.valueName(tag, value) }}>
                {words.valueName(tag, value)}
              </Typography.Text>
            )}
            <Tooltip title={t('segments.insightBars', { members: value.members, share: percent(value.share, lang), everyone: percent(value.population_share, lang) })}>
              <div style={{ display: 'grid', gap: 2 }}>
                <Bar share={value.share} colour={value.color ?? SEGMENT_COLOUR} testId={`${testId}-share`} />
                <Bar share={value.population_share} colour={EVERYONE_COLOUR} testId={`${testId}-everyone`} />
              </div>
            </Tooltip>
            <Typography.Text type="secondary" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', textAlign: 'right' }}>
              {percent(value.share, lang)} / {percent(value.population_share, lang)}
            </Typography.Text>
            <span data-testid={`${testId}-tgi`} style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums', color: over ? OVER_COLOUR : undefined, fontWeight: over ? 600 : undefined }}>
              {value.tgi === null ? '—' : `${over ? '↑ ' : ''}${String(value.tgi)}`}
            </span>
          </div>
        );
      })}
    </Card>
  );
}
