import { Form, Input, InputNumber, Select, Switch } from 'antd';
import { listValue, paramKind } from '../utils/paramKinds';
import { ThresholdInput } from './ThresholdInput';

/** One input per parameter, shaped by the parameter's current value. */
export function ModelParamsForm({ params, onChange }: { params: Record<string, unknown>; onChange: (params: Record<string, unknown>) => void }) {
  const set = (key: string, value: unknown) => onChange({ ...params, [key]: value });
  return (
    <Form layout="horizontal" labelCol={{ span: 8 }} wrapperCol={{ span: 16 }} data-testid="model-params">
      {Object.entries(params).map(([key, value]) => {
        const kind = paramKind(key, value);
        return (
          <Form.Item key={key} label={<code>{key}</code>} style={{ marginBottom: 10 }}>
            {kind === 'threshold' ? (
              <ThresholdInput id={key} value={value} onChange={(next) => set(key, next)} />
            ) : kind === 'number' ? (
              <InputNumber data-testid={`param-${key}`} aria-label={key} value={value as number} onChange={(next) => set(key, next ?? 0)} style={{ width: 160 }} />
            ) : kind === 'boolean' ? (
              <Switch aria-label={key} checked={value === true} onChange={(next) => set(key, next)} />
            ) : kind === 'numbers' || kind === 'strings' ? (
              <Select
                data-testid={`param-${key}`}
                aria-label={key}
                mode="tags"
                value={(value as unknown[]).map(String)}
                onChange={(items: string[]) => set(key, listValue(kind, items))}
                tokenSeparators={[',', '，', ' ']}
                open={false}
                suffixIcon={null}
              />
            ) : (
              <Input data-testid={`param-${key}`} aria-label={key} value={typeof value === 'string' ? value : ''} onChange={(event) => set(key, event.target.value)} />
            )}
          </Form.Item>
        );
      })}
    </Form>
  );
}
