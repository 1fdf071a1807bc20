import { Alert, Card, Col, Empty, Row, Select, Space, Spin, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useSession } from '../../app/hooks/useSession';
import { periodText } from '../utils/period';
import type { TagJson } from '../../app/utils/types';
import { useModelWords } from '../../models/hooks/useModelWords';
import { useModels } from '../../models/hooks/useModels';
import { useTagLibrary } from '../../tags/hooks/useTagLibrary';
import { useTagTransitions } from '../hooks/useTagTransitions';
import { useTransitionQuery } from '../hooks/useTransitionQuery';
import { NONE_ID, valueSlots } from '../utils/valueSlots';
import { FlowMatrix } from './FlowMatrix';
import { FlowMembersDrawer, type OpenFlow } from './FlowMembersDrawer';
import { FlowSankey } from './FlowSankey';
import { PeriodPicker } from './PeriodPicker';
import { TagProfileCard } from './TagProfileCard';
import { TransitionSummary } from './TransitionSummary';
import { ValueMovementTable } from './ValueMovementTable';

/** What a page opened without a tag shows: the RFM levels when the workspace has them, else the first tag a customer holds one value of. */
function defaultTag(tags: TagJson[]): string | undefined {
  return (tags.find((tag) => tag.model === 'rfm') ?? tags.find((tag) => tag.cardinality === 'single') ?? tags[0])?.key;
}

/** How customers moved between a tag's values over a period: counts, what each value holds now, flows, per-value changes, and who is behind each flow. */
export function TransitionsPage() {
  const { t, lang, utcOffsetMinutes } = useSession();
  const library = useTagLibrary();
  const { tag: chosenTag, period, metrics, among, chooseTag, choosePeriod, chooseMetrics, chooseAmong } = useTransitionQuery();
  const activeTags = useMemo(() => library.tags.filter((tag) => tag.status === 'active'), [library.tags]);
  const tag = chosenTag ?? defaultTag(activeTags);
  const transitions = useTagTransitions(tag, period);
  const [openFlow, setOpenFlow] = useState<OpenFlow>();
  const answer = transitions.error ? undefined : transitions.data;
  const { models } = useModels();
  // The values of a model's tag (RFM, lifecycle…) by the catalog's names, in English as on the overview.
  const catalog = useMemo(() => models.find((model) => model.enabled && (model.tag_key ?? model.key) === answer?.tag.key)?.values ?? [], [models, answer]);
  const slots = useMemo(() => (answer ? valueSlots(answer, t('transitions.none'), catalog, lang) : []), [answer, t, catalog, lang]);
  // A model's tag by the catalog's English name in English, in the picker as in what is said of it.
  const words = useModelWords();
  const answerTagName = answer ? words.tagName({ name: answer.tag.name, kind: library.tags.find((candidate) => candidate.key === answer.tag.key)?.kind }) : '';
  const nobody = answer !== undefined && answer.customers_from === 0 && answer.customers_to === 0;
  // A tag archived since (a model turned off, a link kept from before) is still named in the
  // picker, marked archived, rather than shown as its bare key.
  const tagOptions = useMemo(() => {
    const options = activeTags.map((candidate) => ({ value: candidate.key, label: words.tagName(candidate) }));
    if (answer && answer.tag.key === tag && !activeTags.some((candidate) => candidate.key === answer.tag.key)) options.push({ value: answer.tag.key, label: `${answerTagName} · ${t('tags.statusArchived')}` });
    return options;
  }, [activeTags, words, answer, tag, answerTagName, t]);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('nav.transitions')}>
        <Space direction="vertical" size={8} style={{ width: '100%' }}>
          <Space wrap>
            <Select
              data-testid="transitions-tag"
              aria-label={t('transitions.tag')}
              placeholder={t('transitions.tag')}
              showSearch
              optionFilterProp="label"
              style={{ width: 220, maxWidth: '100%' }}
              loading={library.loading}
              value={tag}
              onChange={chooseTag}
              options={tagOptions}
            />
            <PeriodPicker period={period} onChange={choosePeriod} />
          </Space>
          {answer && (
            <Typography.Text type="secondary" data-testid="transitions-period">
              {periodText(answer.from, answer.to, lang, utcOffsetMinutes, (ends) => t('transitions.range', ends))}
            </Typography.Text>
          )}
        </Space>
      </Card>
      {transitions.error && <Alert data-testid="transitions-error" type="error" showIcon message={t('common.error')} description={transitions.error.message} />}
      {/* A library that could not be read (the server out of reach, say) is said so, not taken for one without tags. */}
      {!tag && library.error && <Alert data-testid="transitions-library-error" type="error" showIcon message={t('common.error')} description={library.error.message} />}
      {/* Without a tag there is nothing to follow: the way to make one, or to install a starter library. */}
      {!tag && !library.loading && !library.error && (
        <Empty data-testid="transitions-no-tags" description={t('transitions.noTags')}>
          <Link to="/tags" data-testid="transitions-to-library">
            {t('transitions.toLibrary')}
          </Link>
        </Empty>
      )}
      {!answer && transitions.loading && <Card loading data-testid="transitions-loading" />}
      {answer && (
        // While another tag or period is fetched, what was shown stays, dimmed, rather than jumping away.
        <Spin spinning={transitions.loading}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <TransitionSummary answer={answer} />
            {nobody ? (
              <Card>
                <Empty data-testid="transitions-empty" description={t('transitions.empty', { name: answerTagName })} />
              </Card>
            ) : answer.tag.cardinality === 'single' ? (
              <>
                <Row gutter={[16, 16]}>
                  <Col xs={24} xl={12}>
                    <FlowSankey slots={slots} flows={answer.flows} />
                  </Col>
                  <Col xs={24} xl={12}>
                    <ValueMovementTable slots={slots} />
                  </Col>
                </Row>
                <FlowMatrix
                  slots={slots}
                  flows={answer.flows}
                  onOpen={(from, to) =>
                    from.memberParam !== null &&
                    to.memberParam !== null &&
                    setOpenFlow({ tag: answer.tag.key, from: answer.from, to: answer.to, fromValue: from.memberParam, toValue: to.memberParam, fromName: from.name, toName: to.name })
                  }
                />
              </>
            ) : (
              <>
                <Alert data-testid="transitions-multi" type="info" showIcon message={t('transitions.multi', { name: answerTagName })} />
                <ValueMovementTable
                  slots={slots}
                  onOpen={(slot, change) =>
                    slot.memberParam !== null &&
                    setOpenFlow({
                      tag: answer.tag.key,
                      from: answer.from,
                      to: answer.to,
                      fromValue: change === 'gained' ? NONE_ID : slot.memberParam,
                      toValue: change === 'gained' ? slot.memberParam : NONE_ID,
                      fromName: change === 'gained' ? t('transitions.none') : slot.name,
                      toName: change === 'gained' ? slot.name : t('transitions.none'),
                    })
                  }
                />
              </>
            )}
            {/* What the values' customers are now comes after what moved over the period. */}
            <TagProfileCard tag={answer.tag.key} catalog={catalog} metrics={metrics} onChooseMetrics={chooseMetrics} among={among} onChooseAmong={chooseAmong} />
          </Space>
        </Spin>
      )}
      {openFlow && <FlowMembersDrawer key={`${openFlow.fromValue}>${openFlow.toValue}`} flow={openFlow} colors={library.colors} tags={library.tags} onClose={() => setOpenFlow(undefined)} />}
    </Space>
  );
}
