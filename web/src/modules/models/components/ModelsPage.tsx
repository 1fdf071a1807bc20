import { Alert, Badge, Card, Col, List, Row } from 'antd';
import { useAddressParams } from '../../app/hooks/useAddressParams';
import { useSession } from '../../app/hooks/useSession';
import { useModels } from '../hooks/useModels';
import { modelTitle } from '../utils/modelTitle';
import { ModelDetail } from './ModelDetail';
import { knownRows } from '../../app/utils/knownRows';

export function ModelsPage() {
  const { t, lang } = useSession();
  const { models, loading, error, reload } = useModels();
  // In the address, so that a reload, Back from another page or a shared link shows the same model.
  const [params, changeParams] = useAddressParams();
  const selected = params.get('model') ?? 'rfm';
  const setSelected = (key: string) => changeParams((next) => next.set('model', key));
  const model = models.find((item) => item.key === selected) ?? models[0];
  return (
    <Row gutter={[16, 16]}>
      {/* Above the list, not beside it: on a phone the column beside comes below the list. */}
      {error && (
        <Col span={24}>
          <Alert data-testid="models-error" type="error" showIcon message={t('common.error')} description={error.message} />
        </Col>
      )}
      <Col xs={24} lg={7}>
        <Card title={t('models.title')}>
          <List
            data-testid="model-list"
            size="small"
            loading={loading && models.length === 0}
            dataSource={knownRows(models, loading)}
            // A list the server could not read is not a workspace without models: the alert above says why.
            {...(error ? { locale: { emptyText: t('common.notLoaded') } } : {})}
            renderItem={(item) => (
              // The item stays a list's item for a screen reader (its count of models), and the model
              // is picked with the button inside it, which fills it.
              <List.Item style={{ background: item.key === model?.key ? '#e6f4ff' : undefined, paddingInline: 8 }}>
                <div
                  data-testid={`model-item-${item.key}`}
                  onClick={() => setSelected(item.key)}
                  onKeyDown={(event) => {
                    if (event.key !== 'Enter' && event.key !== ' ') return;
                    // Space picks the model, as it presses a button, rather than also scrolling the page.
                    event.preventDefault();
                    setSelected(item.key);
                  }}
                  tabIndex={0}
                  role="button"
                  aria-pressed={item.key === model?.key}
                  // Whether it is on, in words: the dot's colour says it to the eye only.
                  aria-label={`${modelTitle(item, lang)} · ${t(item.enabled ? 'models.enabled' : 'models.disabled')}`}
                  style={{ cursor: 'pointer', width: '100%' }}
                >
                  <Badge status={item.enabled ? 'success' : 'default'} text={modelTitle(item, lang)} />
                </div>
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col xs={24} lg={17}>
        {model && <ModelDetail model={model} onChanged={reload} />}
      </Col>
    </Row>
  );
}
