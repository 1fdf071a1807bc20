// A group's new name, typed where its row was, and saved only over the version renaming began from.
import { App, Button, Input, Space } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { ChangedSinceAlert } from '../../app/components/ChangedSinceAlert';
import { useApi } from '../../app/hooks/useApi';
import { useOpenedVersion } from '../../app/hooks/useOpenedVersion';
import { useSession } from '../../app/hooks/useSession';
import { errorText } from '../../app/utils/api';
import type { TagGroupJson } from '../../app/utils/types';

const nameOf = (group: TagGroupJson) => group.name;

/**
 * Renames `group`, mounted as renaming begins: the group is read then for its ETag (the list carries
 * none). Someone else's rename since is said beside the field, with a reload; the name typed stays.
 * `onChanged`: the group is renamed, here or (seen by a reload) by someone else; `onDone`: renaming is
 * over, saved or called off.
 */
export function TagGroupRename({ group, onChanged, onDone }: { group: TagGroupJson; onChanged: () => void; onDone: () => void }) {
  const { t } = useSession();
  const api = useApi();
  const { message } = App.useApp();
  const path = `/tag-groups/${encodeURIComponent(group.key)}`;
  const version = useOpenedVersion(path, group, nameOf);
  const [name, setName] = useState(group.name);
  const [saving, setSaving] = useState(false);
  const rename = async () => {
    const renamed = name.trim();
    setSaving(true);
    try {
      await api.patchIf(path, { name: renamed }, await version.ifMatch());
      message.success(t('tags.groupRenamed', { name: renamed }));
      onChanged();
      onDone();
    } catch (error) {
      // Someone renamed it since: the name typed stays, with a reload beside it; nothing is retried.
      if (!version.refused(error)) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };
  /** The group as it is now, its name in the field for the operator to rename it again from. */
  const reload = () =>
    version.reload((now) => {
      setName(now.name);
      onChanged();
    });
  return (
    <>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          data-testid={`group-rename-input-${group.key}`}
          aria-label={t('tags.groupName')}
          value={name}
          autoFocus
          onChange={(event) => setName(event.target.value)}
          onPressEnter={() => void rename()}
          onKeyDown={(event) => {
            if (event.key === 'Escape') onDone();
          }}
        />
        <Button data-testid={`group-rename-save-${group.key}`} type="primary" icon={<CheckOutlined />} aria-label={t('tags.save')} loading={saving} disabled={!name.trim()} onClick={() => void rename()} />
        <Button icon={<CloseOutlined />} aria-label={t('common.cancel')} onClick={onDone} />
      </Space.Compact>
      {version.conflict && (
        <ChangedSinceAlert style={{ width: '100%', marginTop: 8 }} testId={`group-conflict-${group.key}`} reloadTestId={`group-conflict-reload-${group.key}`} message={t('tags.groupChangedSince')} reloading={version.reloading} onReload={() => void reload()} />
      )}
    </>
  );
}
