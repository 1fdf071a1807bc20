import { Alert, App, Button, Card, Descriptions, Form, Input, Popconfirm, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { findModelKind } from '../../../../../src/core/models/catalog';
import { KEY_PATTERN } from '../../../../../src/core/names';
import { useApi } from '../../app/hooks/useApi';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useQuestion } from '../../app/hooks/useQuestion';
import { useSession } from '../../app/hooks/useSession';
import { ApiError, errorText } from '../../app/utils/api';
import { formatMoney, formatNumber, formatTime } from '../../app/utils/format';
import { metricName } from '../../app/utils/metricNames';
import type { TagJson } from '../../app/utils/types';
import type { ModelJson } from '../hooks/useModels';
import { modelTitle } from '../utils/modelTitle';
import { ModelDistribution } from './ModelDistribution';
import { ModelParamsForm } from './ModelParamsForm';
import { ModelValues } from './ModelValues';

/** One model: its parameters as a form, the thresholds in force, and who holds each value. */
export function ModelDetail({ model, onChanged }: { model: ModelJson; onChanged: () => void }) {
  const { t, lang, utcOffsetMinutes } = useSession();
  const { can } = usePermissions();
  const api = useApi();
  const { message } = App.useApp();
  const [params, setParams] = useState(model.params);
  const [busy, setBusy] = useState<string>();
  const [problem, setProblem] = useState<string>();
  // Asked only once enabling found the model's key taken by a tag of the library.
  const [tagKey, setTagKey] = useState<string>();
  const [generation, setGeneration] = useState(0);
  const disabling = useQuestion();
  const saveButton = useRef<HTMLButtonElement>(null);
  // Another model, or other saved parameters, replace what was typed; the same model read again
  // (the language switched, the list reloaded) keeps it.
  const saved = JSON.stringify(model.params);
  useEffect(() => {
    setParams(JSON.parse(saved) as Record<string, unknown>);
    setProblem(undefined);
    setTagKey(undefined);
  }, [model.key, saved]);
  const path = `/models/${encodeURIComponent(model.key)}`;
  // A key the server would refuse is said so here, in the console's words, rather than sent.
  const tagKeyProblem = tagKey === undefined || model.enabled ? undefined : tagKey === '' ? t('common.keyMissing') : KEY_PATTERN.test(tagKey) ? undefined : t('common.keyInvalid');
  const tagHolding = (key: string) =>
    api.get<TagJson>(`/tags/${encodeURIComponent(key)}`).then(
      (tag) => (tag.key === key ? tag : undefined),
      () => undefined,
    );
  const run = async (action: string, call: () => Promise<unknown>, done: string | ((answer: unknown) => string | undefined)) => {
    setBusy(action);
    setProblem(undefined);
    try {
      const answer = await call();
      // A refresh that computed nothing afresh says nothing here: the notice below the form says why.
      const said = typeof done === 'string' ? done : done(answer);
      if (said !== undefined) message.success(said);
      setGeneration((n) => n + 1);
      onChanged();
    } catch (error) {
      // A tag of the library holding the key the model's tag would take is said in the console's
      // words, with the field for another key; the server's own words speak to API clients
      // (`{"tag_key": …}`, `PATCH /api/v1/tags/…`). Other conflicts (a tag of the same name) no other key solves.
      const holder = !model.enabled && error instanceof ApiError && error.problem.code === 'MODEL_CONFLICT' ? await tagHolding(tagKey ?? model.key) : undefined;
      setProblem(holder ? t('models.keyTaken', { name: holder.name, key: holder.key }) : errorText(error));
      if (holder && tagKey === undefined) setTagKey(`${model.key}_model`);
    } finally {
      setBusy(undefined);
    }
  };
  const thresholds = model.thresholds;
  const statistical = findModelKind(model.key)?.statistical === true;
  // What enabling would set, as the form's parameters now say, without a round trip per keystroke;
  // parameters the model would refuse show the values last saved until they are valid again.
  const values = useMemo(() => {
    const kind = findModelKind(model.key);
    if (!kind || model.enabled) return model.values;
    try {
      return kind.values(kind.parse(params), undefined);
    } catch {
      return model.values;
    }
  }, [model, params]);
  // The metrics the model defines for itself, as the parameters typed would define them, by name.
  const metricNames = useMemo(() => {
    const kind = findModelKind(model.key);
    if (!kind) return new Map<string, string>();
    let parsed: Record<string, unknown>;
    try {
      parsed = kind.parse(params);
    } catch {
      parsed = kind.parse(model.params);
    }
    return new Map(kind.metrics(parsed).map((metric) => [metric.key, metricName(metric, lang)]));
  }, [model, params, lang]);
  return (
    <Card
      data-testid={`model-detail-${model.key}`}
      title={
        <Space>
          {modelTitle(model, lang)}
          <Typography.Text type="secondary" code>
            {model.key}
          </Typography.Text>
          {model.enabled ? <Tag color="green">{t('models.enabled')}</Tag> : <Tag>{t('models.disabled')}</Tag>}
        </Space>
      }
    >
      <Spin spinning={busy !== undefined} tip={t('models.recomputing')}>
        <Typography.Paragraph type="secondary">{lang === 'en-US' ? model.description : model.description_zh}</Typography.Paragraph>
        {/* A role that cannot save the parameters reads them, and cannot change them. */}
        <ModelParamsForm model={model.key} params={params} onChange={setParams} readOnly={!can('write')} />
        {problem && <Alert data-testid="model-error" type="error" showIcon message={problem} style={{ marginBottom: 12 }} />}
        {tagKey !== undefined && !model.enabled && (
          <Form layout="vertical">
            <Form.Item label={t('models.tagKey')} validateStatus={tagKeyProblem === undefined ? undefined : 'error'} help={tagKeyProblem ?? t('models.tagKeyHelp', { key: model.key })} htmlFor="model-tag-key">
              <Input id="model-tag-key" data-testid="model-tag-key" value={tagKey} onChange={(event) => setTagKey(event.target.value.trim())} style={{ maxWidth: 320 }} />
            </Form.Item>
          </Form>
        )}
        {can('write') && (
          <Space wrap>
            <Button ref={saveButton} data-testid="model-save" type="primary" loading={busy === 'save'} disabled={tagKeyProblem !== undefined} onClick={() => void run('save', () => api.put(path, tagKey === undefined || model.enabled ? { params } : { params, tag_key: tagKey }), t(model.enabled ? 'models.updated' : 'models.enabledDone', { name: modelTitle(model, lang) }))}>
              {model.enabled ? t('models.update') : t('models.enable')}
            </Button>
            {/* Only a model whose values stand on thresholds computed from the customers (RFM) has any to refresh. */}
            {model.enabled && findModelKind(model.key)?.statistical && (
              <Button data-testid="model-refresh" loading={busy === 'refresh'} onClick={() => void run('refresh', () => api.post<{ refreshed?: boolean }>(`${path}/refresh`), (answer) => ((answer as { refreshed?: boolean }).refreshed === false ? undefined : t('models.refreshed')))}>
                {t('models.refresh')}
              </Button>
            )}
            {model.enabled && (
              <Popconfirm
                {...disabling}
                title={t('models.disableConfirm', { name: modelTitle(model, lang) })}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                onConfirm={() => {
                  // Confirmed from the keyboard, the focus was on the answer as it went, and this
                  // button goes with the model switched off: it goes to the save button, which
                  // then switches it back on, rather than to the page's top.
                  saveButton.current?.focus();
                  void run('disable', () => api.del(path), t('models.disabledDone'));
                }}
              >
                <Button data-testid="model-disable" danger loading={busy === 'disable'}>
                  {t('models.disable')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        )}
        {/* Said rather than thresholds of 0: the last computation found no buyers in the window. */}
        {model.enabled && model.no_buyers_at !== null && (
          <Alert
            data-testid="model-no-buyers"
            type="warning"
            showIcon
            message={t(thresholds ? 'models.noBuyersKept' : 'models.noBuyers', { at: formatTime(model.no_buyers_at, lang, utcOffsetMinutes), days: String(model.params.window_days ?? '') })}
            style={{ marginTop: 20 }}
          />
        )}
        {thresholds && (
          <Descriptions data-testid="model-thresholds" size="small" column={{ xs: 1, sm: 2 }} title={t('models.thresholds')} style={{ marginTop: 20 }}>
            {(['recency', 'frequency', 'monetary', 'customers'] as const).map((key) => (
              <Descriptions.Item key={key} label={t(`models.threshold.${key}`)}>
                {key === 'monetary' ? formatMoney(thresholds[key], lang) : formatNumber(thresholds[key], lang)}
              </Descriptions.Item>
            ))}
            <Descriptions.Item label={t('models.computedAt')}>{formatTime(thresholds.computed_at, lang, utcOffsetMinutes)}</Descriptions.Item>
          </Descriptions>
        )}
        {model.enabled && (
          <>
            <Typography.Title level={5} style={{ marginTop: 20 }}>
              {t('models.distribution')}
            </Typography.Title>
            <ModelDistribution tagKey={model.tag_key ?? model.key} catalog={model.values} generation={generation} />
          </>
        )}
        {!model.enabled && (
          // What enabling would tag customers with, read before enabling rather than after.
          <>
            <Typography.Title level={5} style={{ marginTop: 20 }}>
              {t('models.values')}
            </Typography.Title>
            {/* A statistical model's conditions stand on thresholds computed from the customers when it is enabled: before, there are none to show. */}
            {statistical && <Alert data-testid="model-conditions-on-enable" type="info" showIcon message={t('models.conditionsOnEnable')} style={{ marginBottom: 12 }} />}
            <ModelValues values={values} metricNames={metricNames} conditions={!statistical} />
          </>
        )}
      </Spin>
    </Card>
  );
}
