import { Alert, App, Button, Drawer, Form, Input, Radio, Select, Space, Switch, Typography, type InputRef } from 'antd';
import { PlusOutlined, UndoOutlined } from '@ant-design/icons';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../app/hooks/useApi';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import { errorText, REFUSED_AS_CHANGED } from '../../app/utils/api';
import { focusIsLost } from '../../app/utils/focus';
import { pluralKey } from '../../app/utils/messages';
import type { TagGroupJson, TagJson } from '../../app/utils/types';
import { useFocusReturn } from '../../app/hooks/useFocusReturn';
import { useRulePreview } from '../hooks/useRulePreview';
import { changesOf, definitionKey, definitionOf, draftOf, draftSnapshot, emptyDraft, newValueDraft, savedValueDraft, valueProblems, type TagDraft, type ValueDraft, type ValueProblem, type ValueRemoval } from '../utils/tagDraft';
import { RemoveValueDialog } from './RemoveValueDialog';
import { TagDeleteZone } from './TagDeleteZone';
import { ValueRow, type ValueDrag } from './ValueRow';
import { TagColorPicker } from './TagColorPicker';
import { KEY_PATTERN } from '../../../../../src/core/names';
import type { ModelJson } from '../../models/hooks/useModels';
import { modelTagName } from '../../models/utils/modelLabel';
import { modelTitle } from '../../models/utils/modelTitle';
import { NumberInput } from '../../app/components/NumberInput';
import { ChangedSinceAlert } from '../../app/components/ChangedSinceAlert';
import { useOpenedVersion } from '../../app/hooks/useOpenedVersion';

/**
 * Creates a tag, or edits one (names, colours, value order, rule conditions, values taken out
 * or merged into another) with live counts for rules. A model's tag keeps the name, values and
 * conditions its model gives it: of it, only what the tag and its values mean (their descriptions) is edited here.
 */
/** `onClose` is told whether anything changed, and the key of a tag it made. */
export function TagEditor({ tag: opened, groups, onClose, onPartlySaved }: { tag: TagJson | undefined; groups: TagGroupJson[]; onClose: (changed: boolean, created?: string) => void; onPartlySaved?: () => void }) {
  useFocusReturn();
  const { t, lang } = useSession();
  const api = useApi();
  const { message, modal } = App.useApp();
  const [problem, setProblem] = useState<string>();
  // The save's first call is made only over the version the editor opened (If-Match). The tag as the
  // server has it: that one, or as reloaded, or, after a save that stopped part way, as it was left,
  // so that saving again sends only what is still to do.
  // The key the tag answers to on the server: a new key is a save's first call (changesOf).
  const [savedKey, setSavedKey] = useState(opened?.key);
  const version = useOpenedVersion(savedKey === undefined ? undefined : `/tags/${encodeURIComponent(savedKey)}`, opened, definitionKey, { onReloadFailed: (error) => setProblem(errorText(error)) });
  const tag = version.current;
  const [draft, setDraft] = useState<TagDraft>(() => (opened ? draftOf(opened) : emptyDraft()));
  const [pristine, setPristine] = useState(() => draftSnapshot(draft));
  const conflictRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (version.conflict) conflictRef.current?.scrollIntoView({ block: 'nearest' });
  }, [version.conflict]);
  const [removing, setRemoving] = useState<number>();
  const [saving, setSaving] = useState(false);
  // 保存 is at the top and the refusal under the values: bring it into view, or the click seems to do nothing.
  const problemRef = useRef<HTMLDivElement>(null);
  const nameRef = useRef<InputRef>(null);
  const valueRows = useRef<HTMLDivElement>(null);
  const addValueRef = useRef<HTMLButtonElement>(null);
  // Where a value was taken out: its × went with it, and the focus with the ×, to the page's top.
  const removedAt = useRef<number>(undefined);
  useEffect(() => {
    if (problem) problemRef.current?.scrollIntoView({ block: 'nearest' });
  }, [problem]);
  const editing = tag !== undefined;
  const rule = draft.kind === 'rule';
  // The model rewrites the rest whenever its parameters change; the server would refuse much of it.
  const byModel = editing && tag.kind === 'model';
  const models = useApiQuery<{ items: ModelJson[] }>(byModel ? '/models' : null);
  const model = byModel ? models.data?.items.find((item) => item.key === tag.model) : undefined;
  // A model's tag named as the library names it, in the catalog's English words in English; its name is not edited here.
  const shownName = editing ? (byModel ? modelTagName(tag, models.data?.items ?? [], lang) : tag.name) : '';
  const keyInvalid = draft.key !== '' && !KEY_PATTERN.test(draft.key);
  const problems = valueProblems(draft.values);
  // Said at the value, in words, as the tag's own key is, rather than as the server's "values.0.key".
  const problemAt = (problem: ValueProblem | undefined, value: ValueDraft) =>
    problem && { field: problem.field, text: problem.field === 'name' ? t('tags.valueNameTwice', { name: value.name.trim() }) : problem.reason === 'invalid' ? t('common.keyInvalid') : t('tags.valueKeyTwice', { key: value.key }) };
  const valueMissing = (value: ValueDraft, index: number): string | undefined => {
    const name = value.name.trim();
    if (value.key === '') return name ? t('tags.valueKeyMissing', { name }) : t('tags.valueKeyMissingAt', { n: index + 1 });
    if (!name) return t('tags.valueNameMissing', { n: index + 1 });
    const problem = problemAt(problems[index], value);
    if (problem) return problem.text;
    return rule && value.condition.trim() === '' ? t('tags.conditionMissing', { name }) : undefined;
  };
  // The first thing the tag still lacks, in the order of the form; nothing once it can be saved.
  const missing = !draft.name.trim()
    ? t('common.nameMissing')
    : !draft.key
      ? t('common.keyMissing')
      : keyInvalid
        ? t('common.keyInvalid')
        : draft.values.map(valueMissing).find((text) => text !== undefined);
  const complete = missing === undefined;
  const preview = useRulePreview(definitionOf(draft), tag?.key, rule && complete);
  const set = (patch: Partial<TagDraft>) => setDraft((previous) => ({ ...previous, ...patch }));
  const setValue = (index: number, value: ValueDraft) => setDraft((previous) => ({ ...previous, values: previous.values.map((item, i) => (i === index ? value : item)) }));
  const moveTo = (from: number, to: number) =>
    setDraft((previous) => {
      const values = [...previous.values];
      const [moved] = values.splice(from, 1);
      if (moved) values.splice(to, 0, moved);
      return { ...previous, values };
    });
  const [drag, setDrag] = useState<ValueDrag>();
  /**
   * A new kind or scope changes what happens to the customers who hold the tag, or who sees them:
   * said before saving, with how many hold it.
   */
  const save = () => {
    // A model's tag is neither kind in the editor (draftOf), and keeps its model's.
    const rekinded = tag !== undefined && tag.kind !== 'model' && draft.kind !== tag.kind;
    if (!tag || (!rekinded && draft.scope === tag.scope)) return void store();
    const count = tag.customers;
    const name = tag.name;
    const lines =
      rekinded
        ? [t(pluralKey(draft.kind === 'rule' ? 'tags.kindToRuleBody' : 'tags.kindToManualBody', count), { count, name })]
        : [];
    if (draft.scope !== tag.scope) lines.push(t(draft.scope === 'personal' ? 'tags.scopeToPersonalBody' : 'tags.scopeToEnterpriseBody', { name }));
    modal.confirm({
      title: !rekinded ? t('tags.scopeChangeTitle') : t(draft.kind === 'rule' ? 'tags.kindToRuleTitle' : 'tags.kindToManualTitle'),
      content: (
        <div data-testid="tag-change-confirm">
          {lines.map((line) => (
            <Typography.Paragraph key={line}>{line}</Typography.Paragraph>
          ))}
        </div>
      ),
      okText: t('tags.changeConfirm'),
      cancelText: t('tags.keepEditing'),
      onOk: () => void store(),
    });
  };
  const store = async () => {
    setSaving(true);
    setProblem(undefined);
    let done = 0;
    try {
      if (!tag) await api.post('/tags', definitionOf(draft));
      else {
        const etag = await version.ifMatch();
        for (const call of changesOf(tag, draft)) {
          // The first call is checked against what the editor opened; the rest follow on from it,
          // each call's own change (and a rule's counts as it is applied) having moved the ETag on.
          const ifMatch = done === 0 ? etag : undefined;
          if (call.method === 'PATCH') await api.patchIf(call.path, call.body, ifMatch);
          else if (call.method === 'DELETE') await api.delIf(call.path, ifMatch);
          else {
            // Adding a value takes no If-Match: the tag is read first, so that the calls after it do not overwrite a change made since.
            if (ifMatch !== undefined && (await api.read<TagJson>(`/tags/${encodeURIComponent(tag.key)}`)).etag !== ifMatch) throw REFUSED_AS_CHANGED;
            await api.post(call.path, call.body);
          }
          done++;
        }
      }
      message.success(t('tags.saved', { name: byModel ? shownName : draft.name }));
      onClose(true, tag ? undefined : draft.key);
    } catch (error) {
      // Nothing was saved: what was typed stays, with what happened and a reload beside it.
      if (tag && done === 0 && version.refused(error)) return;
      if (tag && done > 0) {
        // Part of it is on the server: the library shows it, and the draft is carried over onto it.
        setProblem(t('tags.partlySaved', { problem: errorText(error) }));
        onPartlySaved?.();
        // A new key is the first call (changesOf): once anything is saved, the tag answers to it.
        await carryOver(draft.key);
      } else setProblem(errorText(error));
    } finally {
      setSaving(false);
    }
  };
  /** After a save that stopped part way: the tag as the server now has it, and the draft's new values and removals that it already holds marked done. */
  const carryOver = async (key: string) => {
    try {
      const read = await api.read<TagJson>(`/tags/${encodeURIComponent(key)}`);
      version.adopt(read);
      setSavedKey(key);
      const onServer = new Set(read.body.values.map((value) => value.key));
      setDraft((previous) => ({
        ...previous,
        values: previous.values.map((value) => (value.saved === undefined && onServer.has(value.key) ? { ...value, saved: value.key } : value)),
        removed: previous.removed.filter((removal) => onServer.has(removal.key)),
      }));
    } catch {
      // The problem already said stays said; saving again then repeats what was done, which the server refuses by name.
    }
  };
  /**
   * After a save refused as changed since: the tag as it is now. Where only its counts moved (a
   * rule applied, customers tagged), what was typed stays, to be saved again as it is; otherwise the
   * editor shows their changes, for the operator to apply theirs again.
   */
  const reload = () =>
    version.reload((now) => {
      const next = draftOf(now);
      setDraft(next);
      setPristine(draftSnapshot(next));
    });
  const dirty = draftSnapshot(draft) !== pristine;
  // Closing on purpose with changes unsaved asks first: the × is close to 保存.
  const close = () => {
    if (!dirty) return onClose(false);
    modal.confirm({ title: t('tags.discardTitle'), content: t('tags.discardBody'), okText: t('tags.discard'), okButtonProps: { danger: true }, cancelText: t('tags.keepEditing'), onOk: () => onClose(tag !== opened) });
  };
  // A tag keeps one of its saved values: they are taken out before anything else is saved.
  const savedLeft = draft.values.filter((value) => value.saved !== undefined).length;
  const removable = (value: ValueDraft) => draft.values.length > 1 && (value.saved === undefined || savedLeft > 1);
  const takeOut = (index: number, removal?: ValueRemoval) => {
    removedAt.current = index;
    setDraft((previous) => ({ ...previous, values: previous.values.filter((_, i) => i !== index), removed: removal ? [...previous.removed, removal] : previous.removed }));
  };
  // The focus goes on to the × of the value now in that place (or the last), or where no value can
  // be taken out any more, to 添加值; unless something has taken it since.
  useEffect(() => {
    const at = removedAt.current;
    removedAt.current = undefined;
    if (at === undefined || !focusIsLost()) return;
    const next = valueRows.current?.querySelector<HTMLButtonElement>(`[data-testid="value-remove-${String(Math.min(at, draft.values.length - 1))}"]`);
    (next && !next.disabled ? next : addValueRef.current)?.focus();
  }, [draft.values]);
  // A value added from the keyboard is typed in at once: the focus goes on to its key, rather than staying on 添加值 below it.
  const addedAt = useRef<number>(undefined);
  useEffect(() => {
    const at = addedAt.current;
    addedAt.current = undefined;
    if (at !== undefined) valueRows.current?.querySelector<HTMLInputElement>(`[data-testid="value-key-${String(at)}"]`)?.focus();
  }, [draft.values]);
  const addValue = () => {
    addedAt.current = draft.values.length;
    set({ values: [...draft.values, newValueDraft()] });
  };
  const remove = (index: number) => {
    const value = draft.values[index];
    if (!value) return;
    if (value.saved === undefined) return takeOut(index);
    // Nobody held it when the editor opened: nothing to ask (the save still says to take it off anyone given it since).
    if ((value.held ?? 0) === 0) return takeOut(index, { key: value.saved, name: value.name, held: 0, onAssigned: 'remove' });
    setRemoving(index);
  };
  const undoRemoval = (removal: ValueRemoval) => {
    const original = tag?.values.find((value) => value.key === removal.key);
    if (!original) return;
    // Back in its place among the saved values, so that undoing the removal moves nothing.
    const rank = (key: string | undefined) => tag?.values.findIndex((value) => value.key === key) ?? -1;
    setDraft((previous) => {
      const values = [...previous.values];
      const after = values.findIndex((value) => value.saved !== undefined && rank(value.saved) > rank(original.key));
      values.splice(after === -1 ? values.length : after, 0, savedValueDraft(original));
      return { ...previous, removed: previous.removed.filter((item) => item.key !== removal.key), values };
    });
  };
  const nameOf = (key: string | undefined) => draft.values.find((value) => value.saved === key)?.name ?? tag?.values.find((value) => value.key === key)?.name ?? key;
  return (
    <Drawer
      open
      width="min(760px, 100vw)"
      // A stray click beside it would discard what was typed; Esc, as the ×, asks first once something was.
      maskClosable={false}
      title={editing ? t('tags.editTitle', { name: shownName }) : t('tags.create')}
      onClose={close}
      // A new tag starts with its name: typed at once, rather than after tabbing past the drawer's ×.
      afterOpenChange={(open) => {
        if (open && !editing) nameRef.current?.focus();
      }}
      extra={
        <Space>
          {/* Why the button is greyed out, rather than leaving the operator to guess. */}
          {missing !== undefined && (
            <Typography.Text type="secondary" data-testid="tag-save-missing">
              {missing}
            </Typography.Text>
          )}
          <Button data-testid="tag-save" type="primary" loading={saving} disabled={!complete || (rule && (preview.pending || preview.detail !== undefined))} onClick={() => void save()}>
            {t('tags.save')}
          </Button>
        </Space>
      }
    >
      <Form layout="vertical" data-testid="tag-editor">
        {/* At the top, under 保存: said where the click was. */}
        {version.conflict && (
          <div ref={conflictRef} style={{ marginBottom: 16 }}>
            <ChangedSinceAlert testId="tag-conflict" reloadTestId="tag-conflict-reload" message={t('tags.changedSince')} reloading={version.reloading} onReload={() => void reload()} />
          </div>
        )}
        {byModel && (
          <Alert
            data-testid="tag-model-owned"
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('tags.modelOwned', { model: model ? modelTitle(model, lang) : (tag.model ?? tag.key) })}
            action={<Link to={`/models?model=${encodeURIComponent(tag.model ?? tag.key)}`}>{t('tags.modelOwnedLink')}</Link>}
          />
        )}
        <Space wrap size={16}>
          <Form.Item label={t('tags.nameLabel')} required>
            <Input ref={nameRef} data-testid="tag-name" aria-label={t('tags.nameLabel')} disabled={byModel} value={draft.name} maxLength={64} onChange={(event) => set({ name: event.target.value })} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item label={t('tags.keyLabel')} tooltip={t('tags.keyHint')} required validateStatus={keyInvalid ? 'error' : undefined} help={keyInvalid ? t('common.keyInvalid') : undefined}>
            {/* A model's tag has the key its model gives it (the server refuses another). */}
            <Input data-testid="tag-key" aria-label={t('tags.keyLabel')} value={draft.key} disabled={editing && tag.kind === 'model'} maxLength={64} placeholder="value_tier" onChange={(event) => set({ key: event.target.value.trim() })} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item label={t('tags.group')}>
            <Select data-testid="tag-group" aria-label={t('tags.group')} notFoundContent={<span data-testid="tag-group-none">{t('tags.groupPickNone')}</span>} disabled={byModel} allowClear value={draft.group ?? undefined} onChange={(group?: string) => set({ group: group ?? null })} options={groups.map((group) => ({ value: group.key, label: group.name }))} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item label={t('tags.color')}>
            <TagColorPicker testId="tag-color" label={t('tags.colorPicker')} disabled={byModel} color={draft.color} onChange={(color) => set({ color })} />
          </Form.Item>
        </Space>
        {/* What else names the tag by its key, before the operator saves a new one. */}
        {editing && draft.key !== tag.key && draft.key !== '' && !keyInvalid && (
          <Alert data-testid="tag-key-warning" type="warning" showIcon style={{ marginBottom: 16 }} message={t('tags.keyChangeTitle', { from: tag.key, to: draft.key })} description={t('tags.keyChangeWarning', { from: tag.key, to: draft.key })} />
        )}
        {/* What the tag is for, for whoever gives it or reads it in a portrait; the whole width, so that it wraps on a phone. */}
        <Form.Item label={t('tags.description')}>
          <Input.TextArea data-testid="tag-description" aria-label={t('tags.description')} value={draft.description} maxLength={1024} autoSize={{ minRows: 1, maxRows: 4 }} placeholder={t('tags.descriptionPlaceholder')} onChange={(event) => set({ description: event.target.value })} />
        </Form.Item>
        {/* A model's tag is none of these kinds, and the rest of the row is its model's. */}
        {!byModel && (
          <Space wrap size={16}>
            {/* Each choice named for a screen reader by the question it answers: the label beside it names no field. */}
            {/* Greyed out without a word would leave the operator guessing why. */}
            <Form.Item label={t('tags.kind')} tooltip={editing ? t('tags.kindChangeHint') : undefined}>
              <div role="radiogroup" aria-label={t('tags.kind')}>
                <Radio.Group data-testid="tag-kind" value={draft.kind} onChange={(event) => set({ kind: event.target.value as TagDraft['kind'] })} optionType="button" options={[{ value: 'manual', label: t('tags.kindManual') }, { value: 'rule', label: t('tags.kindRule') }]} />
              </div>
            </Form.Item>
            <Form.Item label={t('tags.scope')} tooltip={editing ? t('tags.scopeChangeHint') : undefined}>
              <div role="radiogroup" aria-label={t('tags.scope')}>
                <Radio.Group data-testid="tag-scope" value={draft.scope} onChange={(event) => set({ scope: event.target.value as TagDraft['scope'] })} optionType="button" options={[{ value: 'enterprise', label: t('tags.scopeEnterprise') }, { value: 'personal', label: t('tags.scopePersonal') }]} />
              </div>
            </Form.Item>
            <Form.Item label={t('tags.cardinality')}>
              <div role="radiogroup" aria-label={t('tags.cardinality')}>
                <Radio.Group value={draft.cardinality} onChange={(event) => set({ cardinality: event.target.value as TagDraft['cardinality'] })} optionType="button" options={[{ value: 'single', label: t('tags.single') }, { value: 'multi', label: t('tags.multi') }]} />
              </div>
            </Form.Item>
            <Form.Item label={t('tags.ordered')} tooltip={t('tags.orderedHint')}>
              <Switch aria-label={t('tags.ordered')} checked={draft.ordered} onChange={(ordered) => set({ ordered })} />
            </Form.Item>
            <Form.Item label={t('tags.expiry')}>
              <NumberInput aria-label={t('tags.expiry')} min={1} max={36500} value={draft.expiryDays} placeholder={t('portrait.never')} onChange={(days) => set({ expiryDays: days ?? null })} style={{ width: 120 }} />
            </Form.Item>
          </Space>
        )}
        <Typography.Title level={5}>
          {t('tags.valuesTitle')}
          {rule && preview.customers !== undefined && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginLeft: 12 }} data-testid="rule-preview-total">
              {t(pluralKey('tags.previewTotal', preview.customers), { count: preview.customers })}
            </Typography.Text>
          )}
        </Typography.Title>
        {/* Listed highest first, as 高/中/低 often are, an ordered tag reads backwards: `>= "中"` would take 中 and 低. */}
        {draft.ordered && draft.values.length > 1 && (
          <Typography.Paragraph type="secondary" data-testid="ordered-chain">
            {t('tags.orderedChain', { chain: draft.values.map((value) => value.name.trim() || value.key.trim() || '…').join(' < ') })}
          </Typography.Paragraph>
        )}
        {/* The rows, for the focus to find the × of the value that takes a removed one's place. */}
        <div ref={valueRows}>
          {draft.values.map((value, index) => (
            <ValueRow
              key={value.id}
              value={value}
              index={index}
              last={index === draft.values.length - 1}
              rule={rule}
              fixed={byModel}
              count={preview.pending ? undefined : preview.counts?.get(value.key)}
              errors={preview.pending ? [] : (preview.errors.get(value.key) ?? [])}
              problem={problemAt(problems[index], value)}
              onChange={(next) => setValue(index, next)}
              onMove={(offset) => moveTo(index, index + offset)}
              drag={drag}
              onDragStart={() => setDrag({ from: index, over: index })}
              onDragOver={(over) => setDrag((current) => current && { ...current, over })}
              onDragEnd={(drop) => {
                if (drop && drag && drag.over !== drag.from) moveTo(drag.from, drag.over);
                setDrag(undefined);
              }}
              onRemove={removable(value) ? () => remove(index) : undefined}
            />
          ))}
        </div>
        {draft.removed.map((removal) => (
          <div key={removal.key} data-testid={`value-removal-${removal.key}`} style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}>
            <Typography.Text type="secondary">
              {t('tags.removalPending', { name: removal.name })}
              {removal.held > 0 &&
                (removal.onAssigned === 'move'
                  ? t(pluralKey('tags.removalMoves', removal.held), { count: removal.held, target: nameOf(removal.moveTo) ?? '' })
                  : t(pluralKey('tags.removalRemoves', removal.held), { count: removal.held }))}
            </Typography.Text>
            <Button type="link" size="small" icon={<UndoOutlined />} data-testid={`value-removal-undo-${removal.key}`} onClick={() => undoRemoval(removal)}>
              {t('tags.undoRemoval')}
            </Button>
          </div>
        ))}
        {removing !== undefined && draft.values[removing] && (
          <RemoveValueDialog
            tag={tag}
            value={draft.values[removing]}
            others={draft.values.filter((_, i) => i !== removing)}
            rule={rule}
            onCancel={() => setRemoving(undefined)}
            onRemove={(removal) => {
              takeOut(removing, removal);
              setRemoving(undefined);
            }}
          />
        )}
        {!byModel && (
          <Button ref={addValueRef} style={{ marginTop: 8 }} icon={<PlusOutlined />} onClick={addValue}>
            {t('tags.addValue')}
          </Button>
        )}
        {rule && !preview.pending && preview.detail && preview.errors.size === 0 && <Alert style={{ marginTop: 12 }} type="error" showIcon message={preview.detail} />}
        {problem && (
          <div ref={problemRef}>
            <Alert data-testid="tag-error" style={{ marginTop: 12 }} type="error" showIcon message={problem} />
          </div>
        )}
        {editing && <TagDeleteZone tag={tag} onDeleted={() => onClose(true)} />}
      </Form>
    </Drawer>
  );
}
