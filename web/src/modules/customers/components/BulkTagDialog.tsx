import { Alert, App, Button, Modal, Select, Space, Typography, type ButtonProps } from 'antd';
import { errorText } from '../../app/utils/api';
import { useMemo, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';
import { useChangingCount, type CountTarget } from '../hooks/useChangingCount';
import { pluralKey } from '../../app/utils/messages';
import { useFocusReturn } from '../../app/hooks/useFocusReturn';
import { ExpiryDaysInput } from '../../app/components/ExpiryDaysInput';
import { expiresAtAfter } from '../../app/utils/expiry';
import { rulePinNotice } from '../utils/rulePinNotice';

/** The customers of one flow between a tag's values over a period (the transitions page's), by what the API names them with. */
export interface FlowTarget {
  kind: 'flow';
  tag: string;
  from: string;
  to: string;
  fromValue: string;
  toValue: string;
  count: number;
}

export type BulkTarget = { kind: 'matching'; expression: string; count: number } | { kind: 'selected'; ids: string[] } | FlowTarget;

interface Props {
  action: 'assign' | 'remove';
  target: BulkTarget;
  tags: TagJson[];
  onClose: (changed: boolean) => void;
}

/** What bulk tagging answers: how many changed (assigning) or lost the value (removing), and of the changed, whose other value gave way. */
interface BulkResult {
  changed?: number;
  removed?: number;
  replaced?: number;
  /** Of those who held the value already, how many were given the new expiry (assigning with one). */
  renewed?: number;
  /** What undoes it, for a week. */
  operation?: number;
}

/** What undoing answers: customers put back, those left as they were because they changed since, and the care reminders withdrawn with it. */
interface UndoResult {
  undone: number;
  skipped: number;
  reminders_withdrawn: number;
}

/** How long the message offering to undo stays: time to read it and change one's mind. */
const UNDO_OFFER_SECONDS = 12;

/** Picks a tag value and says how many customers will change before anything does. */
export function BulkTagDialog({ action, target, tags, onClose }: Props) {
  useFocusReturn();
  const { t } = useSession();
  const api = useApi();
  const { message } = App.useApp();
  const manual = useMemo(() => tags.filter((tag) => tag.kind !== 'model' && tag.status === 'active'), [tags]);
  const [tagKey, setTagKey] = useState<string>();
  const [valueKey, setValueKey] = useState<string>();
  // 有效天数, as on the portrait: empty leaves the tag's default expiry.
  const [expiryDays, setExpiryDays] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const tag = manual.find((candidate) => candidate.key === tagKey);
  const value = tag?.values.find((candidate) => candidate.key === valueKey);
  const selected = target.kind === 'selected' ? target.ids.length : target.count;
  // A flow is no expression, so how many of its customers would change is not counted beforehand.
  const countTarget = useMemo<CountTarget | undefined>(() => (target.kind === 'matching' ? { expression: target.expression } : target.kind === 'selected' ? { ids: target.ids } : undefined), [target]);
  const count = useChangingCount(countTarget, tag, valueKey, action);
  const changing = count === null ? null : count?.changing;
  // A count that could not be made leaves the dialog saying what it does, as for a flow.
  const counted = target.kind !== 'flow' && count !== null;
  // Every one of them holds the value already: given with an expiry, the API sets it on them all.
  const renewing = action === 'assign' && expiryDays !== null;
  // Nothing to do: every one of them holds the value already and no expiry is given (or none holds it, to remove).
  const nothing = counted && changing === 0 && !renewing;
  const label = tag && value ? `${tag.name}: ${value.name}` : '';

  const run = async () => {
    if (!tag || !value) return;
    setBusy(true);
    try {
      const expiry = action === 'assign' && expiryDays !== null ? { expires_at: expiresAtAfter(expiryDays) } : {};
      const result =
        target.kind === 'matching'
          ? await api.post<BulkResult>('/segments/tag', { expression: target.expression, tag: tag.key, value: value.key, action, ...expiry })
          : target.kind === 'flow'
            ? await api.post<BulkResult>(`/tags/${encodeURIComponent(target.tag)}/transitions/tag`, {
                from: target.from,
                to: target.to,
                from_value: target.fromValue,
                to_value: target.toValue,
                tag: tag.key,
                value: value.key,
                action,
                ...expiry,
              })
            : await api.post<BulkResult>(`/tags/${encodeURIComponent(tag.key)}/${action === 'assign' ? 'assign' : 'unassign'}`, { value: value.key, customers: target.ids, ...expiry });
      const changed = result.changed ?? result.removed ?? 0;
      const renewed = result.renewed ?? 0;
      // What was done, to how many, and with which tag; or that nobody changed, rather than "0 changed".
      if (changed === 0 && renewed === 0) message.info(t(action === 'assign' ? 'bulk.assignedNone' : 'bulk.removedNone', { label }));
      else {
        const done = changed === 0 ? t(pluralKey('bulk.renewed', renewed), { renewed, label }) : t(pluralKey(action === 'assign' ? 'bulk.assigned' : 'bulk.removed', changed), { changed, label });
        const replaced = result.replaced ?? 0;
        const withReplaced = replaced > 0 && tag ? `${done}${t(pluralKey('bulk.replacedDone', replaced), { replaced, name: tag.name })}` : done;
        // Some gained the value and others, holding it already, had its expiry moved: both are said.
        const text = changed > 0 && renewed > 0 ? `${withReplaced}${t(pluralKey('bulk.renewedAlso', renewed), { renewed })}` : withReplaced;
        const operation = result.operation;
        if (operation === undefined) message.success(text);
        else {
          // A slip over thousands of customers is put right from the message that reports it.
          const key = `bulk-${operation}`;
          const undo = async () => {
            message.destroy(key);
            try {
              const undone = await api.post<UndoResult>(`/tagging/operations/${operation}/undo`, {});
              const back = t(pluralKey('bulk.undone', undone.undone), { undone: undone.undone, label });
              const skipped = undone.skipped > 0 ? t(pluralKey('bulk.undoneSkipped', undone.skipped), { skipped: undone.skipped }) : '';
              const withdrawn = undone.reminders_withdrawn > 0 ? t(pluralKey('bulk.undoneReminders', undone.reminders_withdrawn), { reminders: undone.reminders_withdrawn }) : '';
              message.success(`${back}${skipped}${withdrawn}`);
              onClose(true);
            } catch (error) {
              message.error(errorText(error));
            }
          };
          message.success({
            key,
            duration: UNDO_OFFER_SECONDS,
            content: (
              <span data-testid="bulk-done">
                <span>{text}</span>
                <Button type="link" size="small" data-testid="bulk-undo" onClick={() => void undo()}>
                  {t('bulk.undo')}
                </Button>
              </span>
            ),
          });
        }
      }
      onClose(true);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t(action === 'assign' ? 'customers.bulkTag' : 'customers.bulkUntag')} okText={t('common.confirm')} cancelText={t('common.cancel')} okButtonProps={{ disabled: !value || (counted && changing === undefined) || nothing, loading: busy, 'data-testid': 'bulk-confirm' } as ButtonProps} onOk={() => void run()} onCancel={() => onClose(false)}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select data-testid="bulk-tag" aria-label={t('bulk.tag')} style={{ width: '100%' }} placeholder={t('bulk.tag')} showSearch optionFilterProp="label" value={tagKey} onChange={(key: string) => { setTagKey(key); setValueKey(undefined); }} options={manual.map((item) => ({ value: item.key, label: item.name }))} />
        <Select data-testid="bulk-value" aria-label={t('bulk.value')} style={{ width: '100%' }} placeholder={t('bulk.value')} value={valueKey} onChange={setValueKey} options={(tag?.values ?? []).map((item) => ({ value: item.key, label: item.name }))} />
        {action === 'assign' && <ExpiryDaysInput testId="bulk-expiry" tag={tag} value={expiryDays} onChange={setExpiryDays} style={{ width: '100%' }} labelled />}
        {/* By hand, a rule tag's value stays put: worth saying before it is done to many customers. */}
        {tag?.kind === 'rule' && action === 'assign' && <Alert data-testid="bulk-rule-pin" type="info" showIcon message={t(rulePinNotice(tag), { name: tag.name })} />}
        {value && (
          <Typography.Paragraph data-testid="bulk-summary" style={{ marginTop: 8 }}>
            {!counted
              ? t(pluralKey(action === 'assign' ? 'bulk.flowAssignConfirm' : 'bulk.flowRemoveConfirm', selected), { selected, label })
              : changing === undefined || changing === null
                ? t('bulk.counting')
                : changing === 0
                  ? renewing
                    ? t(pluralKey('bulk.renewingAll', selected), { selected, label }) + t(pluralKey('bulk.renewingDays', expiryDays), { days: expiryDays })
                    : t(pluralKey(action === 'assign' ? 'bulk.nothingToAssign' : 'bulk.nothingToRemove', selected), { selected, label })
                  : // "The rest" only when some of the selected are left alone.
                  t(pluralKey(action === 'assign' ? (changing < selected ? 'bulk.assignConfirm' : 'bulk.assignConfirmAll') : changing < selected ? 'bulk.removeConfirm' : 'bulk.removeConfirmAll', changing), { changing, selected, label }) +
                  // A single-valued tag holds one value: giving this one takes another away, worth saying before it happens.
                  (count && count.replacing > 0 && tag ? t(pluralKey('bulk.replacing', count.replacing), { replacing: count.replacing, name: tag.name, value: value.name }) : '')}
          </Typography.Paragraph>
        )}
        {/* The API gives those of them who hold the value already the new expiry too: one held for good would start to run out. */}
        {value && action === 'assign' && expiryDays !== null && (!counted || (typeof changing === 'number' && changing > 0 && changing < selected)) && (
          <Typography.Text type="secondary" data-testid="bulk-expiry-renews">
            {t(pluralKey('bulk.expiryRenews', expiryDays), { days: expiryDays })}
          </Typography.Text>
        )}
      </Space>
    </Modal>
  );
}
