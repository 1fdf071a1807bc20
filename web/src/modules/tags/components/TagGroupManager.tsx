import { App, Button, Card, Input, List, Popconfirm, Space, type ButtonProps, type InputRef } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useQuestion } from '../../app/hooks/useQuestion';
import { useSession } from '../../app/hooks/useSession';
import { errorText } from '../../app/utils/api';
import type { TagGroupJson } from '../../app/utils/types';
import { knownRows } from '../../app/utils/knownRows';
import { focusIsLost } from '../../app/utils/focus';
import { TagGroupRename } from './TagGroupRename';

/**
 * A group's delete button, asking first; asked from the keyboard, the answer takes the focus, and
 * Esc gives it back. Confirmed, the focus comes back here from the answer as it goes, so that it
 * stays on the page: here while the server is asked (and after a refusal), on along the list once
 * the group is gone.
 */
function GroupDeleteButton({ group, onConfirm }: { group: TagGroupJson; onConfirm: () => void }) {
  const { t } = useSession();
  const { okButtonProps, ...question } = useQuestion();
  const asker = useRef<HTMLButtonElement>(null);
  return (
    <Popconfirm
      {...question}
      title={t('tags.groupDeleteConfirm', { name: group.name })}
      okText={t('common.confirm')}
      okButtonProps={okButtonProps as ButtonProps}
      cancelText={t('common.cancel')}
      onConfirm={() => {
        asker.current?.focus();
        onConfirm();
      }}
    >
      <Button ref={asker} data-testid={`group-delete-${group.key}`} size="small" danger icon={<DeleteOutlined />} aria-label={t('tags.groupDelete', { name: group.name })} />
    </Popconfirm>
  );
}

/** Creates, renames and deletes the groups that organise the library. */
export function TagGroupManager({ groups, loading, editable, onChanged }: { groups: TagGroupJson[]; loading: boolean; editable: boolean; onChanged: () => void }) {
  const { t } = useSession();
  const api = useApi();
  const { message } = App.useApp();
  const [draft, setDraft] = useState({ key: '', name: '' });
  // The key of the group being renamed.
  const [renaming, setRenaming] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Renaming puts a field where the group's buttons were: once it is done or called off, the
  // focus goes back to the group's rename button rather than to the top of the page.
  const renameButtons = useRef(new Map<string, HTMLElement>());
  const [refocus, setRefocus] = useState<string>();
  useEffect(() => {
    if (refocus === undefined || renaming !== undefined) return;
    renameButtons.current.get(refocus)?.focus();
    setRefocus(undefined);
  }, [refocus, renaming]);
  const stopRenaming = (key: string) => {
    setRenaming(undefined);
    setRefocus(key);
  };
  // Every call reports the server's own words: a refused delete says how many tags still hold the group.
  const run = async (call: () => Promise<unknown>, success: string) => {
    setBusy(true);
    try {
      await call();
      message.success(success);
      onChanged();
      return true;
    } catch (error) {
      message.error(errorText(error));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const create = async () => {
    const input = { key: draft.key.trim(), name: draft.name.trim() };
    if (await run(() => api.post('/tag-groups', input), t('tags.groupCreated', { name: input.name }))) setDraft({ key: '', name: '' });
  };
  // A group deleted takes its delete button, and the focus on it, away with its row. Once the list
  // shows it gone, the focus goes on to the delete button of the group now in its place (or of the
  // last), else to the new group's name; unless something has taken it since.
  const list = useRef<HTMLDivElement>(null);
  const newName = useRef<InputRef>(null);
  const deleted = useRef<{ key: string; index: number }>(undefined);
  useEffect(() => {
    const gone = deleted.current;
    if (!gone || loading || groups.some((group) => group.key === gone.key)) return;
    deleted.current = undefined;
    const buttons = [...(list.current?.querySelectorAll<HTMLElement>('[data-testid^="group-delete-"]') ?? [])];
    if (!focusIsLost()) return;
    const next = buttons[Math.min(gone.index, buttons.length - 1)];
    if (next) next.focus();
    else newName.current?.focus();
  }, [groups, loading]);
  const remove = async (group: TagGroupJson) => {
    deleted.current = { key: group.key, index: groups.findIndex((each) => each.key === group.key) };
    if (!(await run(() => api.del(`/tag-groups/${encodeURIComponent(group.key)}`), t('tags.groupDeleted', { name: group.name })))) deleted.current = undefined;
  };
  return (
    <Card ref={list} title={t('tags.groupsTitle')} data-testid="tag-groups">
      <List
        size="small"
        loading={loading}
        dataSource={knownRows(groups, loading)}
        locale={{ emptyText: <span data-testid="tag-groups-none">{t('tags.groupsNone')}</span> }}
        renderItem={(group) =>
          renaming === group.key ? (
            <List.Item data-testid={`group-item-${group.key}`} style={{ flexWrap: 'wrap' }}>
              <TagGroupRename group={group} onChanged={onChanged} onDone={() => stopRenaming(group.key)} />
            </List.Item>
          ) : (
            <List.Item
              data-testid={`group-item-${group.key}`}
              actions={
                editable
                  ? [
                      <Button
                        key="rename"
                        ref={(button) => {
                          if (button) renameButtons.current.set(group.key, button);
                          else renameButtons.current.delete(group.key);
                        }}
                        data-testid={`group-rename-${group.key}`}
                        size="small"
                        icon={<EditOutlined />}
                        aria-label={t('tags.groupRename', { name: group.name })}
                        onClick={() => setRenaming(group.key)}
                      />,
                      <GroupDeleteButton key="delete" group={group} onConfirm={() => void remove(group)} />,
                    ]
                  : []
              }
            >
              <List.Item.Meta title={<span data-testid={`group-name-${group.key}`}>{group.name}</span>} description={group.key} />
            </List.Item>
          )
        }
      />
      {editable && (
        <Space.Compact style={{ width: '100%', marginTop: 12 }}>
          <Input ref={newName} data-testid="group-new-name" placeholder={t('tags.groupName')} aria-label={t('tags.groupName')} value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.target.value })} />
          <Input data-testid="group-new-key" placeholder={t('tags.groupKey')} aria-label={t('tags.groupKey')} value={draft.key} onChange={(event) => setDraft({ ...draft, key: event.target.value })} onPressEnter={() => void create()} />
          <Button data-testid="group-create" type="primary" icon={<PlusOutlined />} aria-label={t('tags.groupCreate')} loading={busy} disabled={!draft.key.trim() || !draft.name.trim()} onClick={() => void create()} />
        </Space.Compact>
      )}
    </Card>
  );
}
