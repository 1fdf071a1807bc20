import { Alert, App, Button, Drawer, Form, Input, Radio, Space } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useSession } from '../../app/hooks/useSession';
import { useSubmission } from '../../app/hooks/useSubmission';
import type { TagJson } from '../../app/utils/types';
import { KEY_PATTERN } from '../../../../../src/core/names';
import { useCareChanges } from '../hooks/useCareChanges';
import { useSeenEventTypes } from '../hooks/useSeenEventTypes';
import { emptyFields, fieldsOf, inputOf, patchOf, type PlanFields } from '../utils/planFields';
import { placedProblems, type PlacedProblems } from '../utils/planProblems';
import { templateFields } from '../utils/templates';
import type { CarePlan, CareTriggerKind } from '../utils/types';
import { CancelFields } from './CancelFields';
import { QuietHoursFields } from './QuietHoursFields';
import { ConditionField } from './ConditionField';
import { PlanTemplatePicker } from './PlanTemplatePicker';
import { StepList } from './StepList';
import { TriggerFields } from './TriggerFields';
import { useFocusReturn } from '../../app/hooks/useFocusReturn';
import { useGuardedClose } from '../../app/hooks/useGuardedClose';

const KINDS: readonly CareTriggerKind[] = ['event', 'tag_added', 'tag_removed', 'birthday'];

interface Props {
  /** The plan to change, or none to make one. */
  plan: CarePlan | undefined;
  tags: TagJson[];
  /** The keys plans have already: a template's key is made free of them (birthday_greeting_2). */
  takenKeys: readonly string[];
  onClose: (saved: boolean) => void;
}

function freeKey(key: string, taken: readonly string[]): string {
  if (!taken.includes(key)) return key;
  let n = 2;
  while (taken.includes(`${key}_${n}`)) n++;
  return `${key}_${n}`;
}

/**
 * Makes a plan, from a template or from scratch, or changes one (its key and trigger stay); the
 * server's refusal is shown here, in its own words, every problem it lists beside its field too.
 */
export function PlanEditor({ plan, tags, takenKeys, onClose }: Props) {
  useFocusReturn();
  const { t } = useSession();
  const { message } = App.useApp();
  const { create, update } = useCareChanges();
  const seen = useSeenEventTypes();
  const [form] = Form.useForm<PlanFields>();
  const editing = plan !== undefined;
  const initial = useMemo(() => (plan ? fieldsOf(plan) : emptyFields()), [plan]);
  const kind = Form.useWatch('kind', form) ?? initial.kind;
  const cancel = useGuardedClose(() => form.isFieldsTouched(), () => onClose(false));
  const saved = useCallback(
    (answer: CarePlan) => {
      message.success(t('care.plan.saved', { name: answer.name }));
      onClose(true);
    },
    [message, t, onClose],
  );
  const [placed, setPlaced] = useState<PlacedProblems>();
  const refused = useCallback(
    (error: unknown) => {
      const found = placedProblems(error);
      form.setFields(found.fields);
      setPlaced(found);
      // Said above the form as well: a problem of no field, and all of them at once.
      return false;
    },
    [form],
  );
  const { busy, problem, submit } = useSubmission(saved, refused);
  const save = () => {
    // The last refusal's marks go: the server says again what still does not hold.
    if (placed) form.setFields(placed.fields.map(({ name }) => ({ name, errors: [] })));
    setPlaced(undefined);
    // The whole store, not only the fields shown: those of another trigger kind are left out by inputOf.
    const fields: PlanFields = { ...emptyFields(), ...(form.getFieldsValue(true) as Partial<PlanFields>) };
    return submit(() => (plan ? update(plan.key, patchOf(fields)) : create(inputOf(fields))));
  };
  return (
    <Drawer
      open
      width="min(820px, 100vw)"
      // A stray click beside it would discard what was typed; Esc, the × and Cancel ask first once something was.
      maskClosable={false}
      data-testid="care-plan-editor"
      title={editing ? t('care.plan.editTitle', { name: plan.name }) : t('care.plan.create')}
      onClose={cancel}
      extra={
        <Space>
          <Button onClick={cancel}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} data-testid="care-plan-save" onClick={() => form.submit()}>
            {t('care.plan.save')}
          </Button>
        </Space>
      }
    >
      {!editing && (
        <PlanTemplatePicker
          onPick={(id) => {
            const fields = templateFields(t, id);
            form.setFieldsValue({ ...fields, key: freeKey(fields.key, takenKeys) });
          }}
        />
      )}
      {problem && (
        <Alert
          data-testid="care-plan-error"
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('care.plan.saveFailed')}
          description={
            placed && placed.each.length > 1 ? (
              <>
                {t('care.plan.problems', { count: placed.each.length })}
                <ul data-testid="care-plan-problems" style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
                  {placed.each.map((text, index) => (
                    <li key={index}>{text}</li>
                  ))}
                </ul>
              </>
            ) : (
              problem
            )
          }
        />
      )}
      <Form<PlanFields>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={() => void save()}
        // Another tag has other values.
        onValuesChange={(changed: Partial<PlanFields>) => {
          if ('tag' in changed) form.setFieldValue('tagValue', undefined);
        }}
      >
        <Space wrap size={16} align="start">
          <Form.Item name="name" label={t('care.plan.name')} rules={[{ required: true, whitespace: true, message: t('care.plan.nameRequired') }]}>
            <Input data-testid="care-plan-name" maxLength={64} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item
            name="key"
            className="tb-hinted-field"
            label={t('care.plan.key')}
            extra={editing ? undefined : t('care.plan.keyHint')}
            rules={[
              { required: true, message: t('care.plan.keyRequired') },
              { pattern: KEY_PATTERN, message: t('care.plan.keyInvalid') },
            ]}
          >
            <Input data-testid="care-plan-key" disabled={editing} maxLength={64} placeholder="after_sales" style={{ width: 220 }} />
          </Form.Item>
        </Space>
        <Form.Item name="description" label={t('care.plan.description')}>
          <Input.TextArea data-testid="care-plan-description" autoSize={{ minRows: 1, maxRows: 4 }} maxLength={1024} />
        </Form.Item>
        <Form.Item name="kind" label={t('care.plan.trigger')} extra={editing ? t('care.plan.triggerFixed') : undefined}>
          <Radio.Group
            data-testid="care-plan-kind"
            className="tb-wrapping-buttons"
            disabled={editing}
            optionType="button"
            options={KINDS.map((each) => ({ value: each, label: <span data-testid={`care-plan-kind-${each}`}>{t(`care.kind.${each}`)}</span> }))}
          />
        </Form.Item>
        <TriggerFields kind={kind} tags={tags} editing={editing} seen={seen} />
        <Form.Item name="condition" label={t('care.plan.condition')} extra={t('care.plan.conditionHint')}>
          <ConditionField />
        </Form.Item>
        <CancelFields kind={kind} seen={seen} />
        <QuietHoursFields />
        <StepList />
      </Form>
    </Drawer>
  );
}
