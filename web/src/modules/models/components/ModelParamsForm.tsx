import { Form, Input, Select, Switch } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { isMessageKey } from '../../app/utils/messages';
import { listValue, OPTIONAL_PARAMS, paramKind } from '../utils/paramKinds';
import { ThresholdInput } from './ThresholdInput';
import { NumberInput } from '../../app/components/NumberInput';

/**
 * One input per parameter, shaped by the parameter's current value; optional ones left unset show
 * empty. `readOnly` (a role that cannot save them) shows them disabled, to read but not change.
 */
export function ModelParamsForm({ model, params, onChange, readOnly = false }: { model: string; params: Record<string, unknown>; onChange: (params: Record<string, unknown>) => void; readOnly?: boolean }) {
  const { t } = useSession();
  const optional = OPTIONAL_PARAMS[model] ?? {};
  const set = (key: string, value: unknown) => onChange({ ...params, [key]: value });
  // An emptied optional parameter leaves the request, so the model goes back to not having it.
  const setOptional = (key: string, value: unknown) => {
    if (value !== null && value !== undefined && value !== '') return set(key, value);
    const { [key]: _removed, ...rest } = params;
    onChange(rest);
  };
  const unset = Object.keys(optional).filter((key) => !(key in params));
  // The parameter in words, with its name as the API and the description spell it. A name too long
  // for its column breaks between the words and the key, each kept whole where it fits.
  const label = (key: string) => {
    const words = `models.param.${key}`;
    return isMessageKey(words) ? (
      <span>
        <span style={{ display: 'inline-block' }}>{t(words)}</span> <code>{key}</code>
      </span>
    ) : (
      <code>{key}</code>
    );
  };
  // The same for a screen reader, which would otherwise hear the name alone.
  const spoken = (key: string) => {
    const words = `models.param.${key}`;
    return isMessageKey(words) ? `${t(words)} ${key}` : key;
  };
  // A long name (冠军客户订单数 champion_orders) wraps beside its field; antd cut it off at the column's edge.
  return (
    <Form layout="horizontal" labelWrap labelCol={{ span: 8 }} wrapperCol={{ span: 16 }} data-testid="model-params" disabled={readOnly}>
      {Object.entries(params).map(([key, value]) => {
        const kind = paramKind(key, value);
        if (key in optional) return null;
        return (
          <Form.Item key={key} label={label(key)} style={{ marginBottom: 10 }}>
            {kind === 'threshold' ? (
              <ThresholdInput id={key} label={spoken(key)} value={value} onChange={(next) => set(key, next)} />
            ) : kind === 'number' ? (
              <NumberInput data-testid={`param-${key}`} aria-label={spoken(key)} value={value as number} onChange={(next) => set(key, next ?? 0)} style={{ width: 160 }} />
            ) : kind === 'boolean' ? (
              <Switch aria-label={spoken(key)} checked={value === true} onChange={(next) => set(key, next)} />
            ) : kind === 'numbers' || kind === 'strings' ? (
              <Select
                data-testid={`param-${key}`}
                aria-label={spoken(key)}
                mode="tags"
                value={(value as unknown[]).map(String)}
                onChange={(items: string[]) => set(key, listValue(kind, items))}
                tokenSeparators={[',', '，', ' ']}
                open={false}
                suffixIcon={null}
              />
            ) : (
              <Input data-testid={`param-${key}`} aria-label={spoken(key)} value={typeof value === 'string' ? value : ''} onChange={(event) => set(key, event.target.value)} />
            )}
          </Form.Item>
        );
      })}
      {[...Object.keys(optional).filter((key) => key in params), ...unset].map((key) => {
        const value = params[key];
        return (
          <Form.Item key={key} label={label(key)} style={{ marginBottom: 10 }}>
            {optional[key] === 'number' ? (
              <NumberInput data-testid={`param-${key}`} aria-label={spoken(key)} placeholder={t('models.optional')} value={typeof value === 'number' ? value : null} onChange={(next) => setOptional(key, next)} style={{ width: 160 }} />
            ) : (
              <Input data-testid={`param-${key}`} aria-label={spoken(key)} placeholder={t('models.optional')} value={typeof value === 'string' ? value : ''} onChange={(event) => setOptional(key, event.target.value)} allowClear />
            )}
          </Form.Item>
        );
      })}
    </Form>
  );
}
