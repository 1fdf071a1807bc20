import { Alert, App, Button, Card, Col, Grid, Row, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useAddressParams } from '../../app/hooks/useAddressParams';
import { useApi } from '../../app/hooks/useApi';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { usePagerLabels } from '../../app/hooks/usePagerLabels';
import { useReducedMotion } from '../../app/hooks/useReducedMotion';
import { formatNumber } from '../../app/utils/format';
import { errorText } from '../../app/utils/api';
import { focusIsLost, focusRowControl, rowIndexOf } from '../../app/utils/focus';
import type { MessageKey } from '../../app/utils/messages';
import type { TagJson } from '../../app/utils/types';
import { useModelWords } from '../../models/hooks/useModelWords';
import { useTagLibrary } from '../hooks/useTagLibrary';
import { GovernanceReport } from './GovernanceReport';
import { RulePassProgress } from './RulePassProgress';
import { TagArchiveButton } from './TagArchiveButton';
import { TagChip } from './TagChip';
import { TagEditor } from './TagEditor';
import { TagGroupManager } from './TagGroupManager';
import { TemplateInstaller } from './TemplateInstaller';
import { knownRows } from '../../app/utils/knownRows';

const KIND_WORDS: Record<TagJson['kind'], MessageKey> = { manual: 'tags.kindManual', rule: 'tags.kindRule', model: 'tags.kindModel' };
const PAGE_SIZE = 20;

/** The tag library: create, edit, archive and restore tags, manage their groups, install templates, and review the library. */
export function TagLibraryPage() {
  const { t, lang } = useSession();
  const pager = usePagerLabels();
  const { can } = usePermissions();
  const editable = can('write');
  const api = useApi();
  // A model's tag and its values in the catalog's English words in English.
  const words = useModelWords();
  const { message } = App.useApp();
  const reducedMotion = useReducedMotion();
  // In the address, so that a reload or a shared link keeps the archived tags in view.
  const [params, changeParams] = useAddressParams();
  const showArchived = params.get('archived') === 'true';
  const setShowArchived = (show: boolean) => changeParams((next) => (show ? next.set('archived', 'true') : next.delete('archived')));
  const library = useTagLibrary({ includeArchived: showArchived });
  // A phone scrolls the table sideways to reach the values and the actions: the tag's name stays
  // pinned at the left, so that each row still says which tag they are, and the values get room
  // to sit side by side rather than one a line.
  const phone = Grid.useBreakpoint().md === false;
  const [editing, setEditing] = useState<{ tag: TagJson | undefined }>();
  const [generation, setGeneration] = useState(0);
  const [tablePage, setTablePage] = useState(1);
  const groupName = new Map(library.groups.map((group) => [group.key, group.name]));
  const changed = () => {
    library.reload();
    setGeneration((n) => n + 1);
  };
  // The tag archived or restored, and its row's place: its button goes with the change, and the
  // focus with it to the page's top. Once the list shows the change, the focus goes on to the
  // button that undoes it in the same row (archived tags in view), else to the same button in the
  // row now in its place (or the last), else to the list's heading; unless something has taken it since.
  const card = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLSpanElement>(null);
  const changing = useRef<{ key: string; index: number; status: 'active' | 'archived' }>(undefined);
  useEffect(() => {
    const change = changing.current;
    if (!change) return;
    const row = library.tags.find((tag) => tag.key === change.key);
    if (row && row.status !== change.status) return;
    changing.current = undefined;
    if (!focusIsLost()) return;
    const archive = '[data-testid^="tag-archive-"]';
    const restore = '[data-testid^="tag-restore-"]';
    const [same, undo] = change.status === 'archived' ? [archive, restore] : [restore, archive];
    focusRowControl(card.current, change.key, change.index, row ? [undo, same] : [same, undo, '[data-testid^="tag-edit-"]', '[data-testid^="tag-transitions-"]'], heading.current);
  }, [library.tags]);
  // A tag just made: once the list has it, the list turns to its page and scrolls it into view,
  // wherever it sorts among the others (often past the screen's bottom, or on a later page).
  const added = useRef<string>(undefined);
  const [shownAdded, setShownAdded] = useState<string>();
  useEffect(() => {
    const key = added.current;
    if (key === undefined) return;
    const index = library.tags.findIndex((tag) => tag.key === key);
    if (index === -1) return;
    added.current = undefined;
    setTablePage(Math.floor(index / PAGE_SIZE) + 1);
    setShownAdded(key);
  }, [library.tags]);
  useEffect(() => {
    if (shownAdded === undefined) return;
    setShownAdded(undefined);
    const row = [...(card.current?.querySelectorAll<HTMLElement>('tr.ant-table-row[data-row-key]') ?? [])].find((candidate) => candidate.dataset.rowKey === shownAdded);
    row?.scrollIntoView({ block: 'center', behavior: reducedMotion ? 'auto' : 'smooth' });
  }, [shownAdded, reducedMotion]);
  const setStatus = async (tag: TagJson, status: 'active' | 'archived') => {
    try {
      await api.patch(`/tags/${encodeURIComponent(tag.key)}`, { status });
      changing.current = { key: tag.key, index: rowIndexOf(card.current, tag.key), status };
      message.success(t(status === 'archived' ? 'tags.archived' : 'tags.restored', { name: words.tagName(tag) }));
      changed();
    } catch (error) {
      message.error(errorText(error));
    }
  };
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={17}>
        <Card
          ref={card}
          // Held by the focus, read out, once the last row it was in is gone.
          title={
            <span ref={heading} tabIndex={-1} data-testid="tag-library-heading">
              {t('nav.tags')}
            </span>
          }
          // On a phone the switch and the button leave the title little room: it wraps rather than reading "Tag libr…".
          styles={{ title: { whiteSpace: 'normal' } }}
          extra={
            <Space>
              <Switch data-testid="tag-show-archived" size="small" checked={showArchived} onChange={setShowArchived} aria-label={t('tags.showArchived')} />
              <span>{t('tags.showArchived')}</span>
              {editable && (
                <Button data-testid="tag-create" type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ tag: undefined })}>
                  {t('tags.create')}
                </Button>
              )}
            </Space>
          }
        >
          {library.error && <Alert data-testid="tag-library-error" type="error" showIcon style={{ marginBottom: 16 }} message={t('common.error')} description={library.error.message} />}
          <Table<TagJson>
            // A fixed minimum rather than max-content: the values wrap within their column, so
            // the actions stay in view on a laptop screen (1280 wide, in either language); narrower screens scroll sideways.
            scroll={{ x: phone ? 720 : 640 }}
            data-testid="tag-library"
            size="small"
            rowKey="key"
            // Only the first load: the list also reloads every second while a rule's pass runs.
            // The tags' own loading: the groups still on their way say nothing of the rows.
            loading={library.tagsLoading && library.tags.length === 0}
            dataSource={knownRows(library.tags, library.tagsLoading)}
            // An empty library says how a first tag comes about, to whoever may make one.
            locale={{ emptyText: <span data-testid="tag-library-none">{t(library.error ? 'common.notLoaded' : editable ? 'tags.none' : 'tags.noneReadOnly')}</span> }}
            pagination={{ ...pager, pageSize: PAGE_SIZE, current: tablePage, onChange: (page) => setTablePage(page) }}
            columns={[
              {
                title: t('tags.name'),
                dataIndex: 'name',
                width: phone ? 112 : 150,
                ...(phone ? { fixed: 'left' as const } : {}),
                render: (_name: string, row) => (
                  <>
                    {`${words.tagName(row)}${row.group ? ` · ${groupName.get(row.group) ?? row.group}` : ''}`}
                    {row.status === 'archived' && (
                      <Tag data-testid={`tag-archived-${row.key}`} style={{ marginInlineStart: 6 }}>
                        {t('tags.statusArchived')}
                      </Tag>
                    )}
                    {/* One line under the name, the rest on hover: a long one would make every row tall, on a phone most of all.
                        Zero wide but at least the cell's width: the table sizes its columns by their content, and a
                        line that does not wrap would otherwise widen the column by the whole description. */}
                    {row.description && (
                      <Typography.Text data-testid={`tag-description-${row.key}`} type="secondary" style={{ display: 'block', fontSize: 12, width: 0, minWidth: '100%' }} ellipsis={{ tooltip: words.description(row, row.description) }}>
                        {words.description(row, row.description)}
                      </Typography.Text>
                    )}
                  </>
                ),
              },
              { title: t('tags.kind'), dataIndex: 'kind', width: 70, render: (kind: TagJson['kind']) => <Tag>{t(KIND_WORDS[kind])}</Tag> },
              // Wide enough for "Customers" on one line.
              { title: t('tags.customers'), dataIndex: 'customers', width: 96, render: (customers: number, row) => (row.rule_pass ? <RulePassProgress customers={customers} pass={row.rule_pass} /> : formatNumber(customers, lang)) },
              { title: t('tags.values'), key: 'values', render: (_, row) => (
                  <div style={{ display: 'flex', flexWrap: 'wrap', rowGap: 4 }}>
                    {row.values.map((value) =>
                      // What a value means, on hover, where the values are read.
                      value.description ? (
                        <Tooltip key={value.key} title={value.description}>
                          <span data-testid={`tag-value-description-${row.key}-${value.key}`} data-description={value.description}>
                            <TagChip label={`${words.valueName(row, value)} ${formatNumber(value.customers, lang)}`} color={value.color ?? row.color} />
                          </span>
                        </Tooltip>
                      ) : (
                        <TagChip key={value.key} label={`${words.valueName(row, value)} ${formatNumber(value.customers, lang)}`} color={value.color ?? row.color} />
                      ),
                    )}
                  </div>
                ),
              },
              {
                title: t('segments.actions'),
                key: 'actions',
                // The link in words, editing and archiving as icons with their names for screen readers and in a tooltip.
                width: 150,
                render: (_, row) => (
                  <Space size={4}>
                    {/* Reading is enough to see how a tag's holders moved, whoever made the tag. */}
                    <Link to={`/transitions?tag=${encodeURIComponent(row.key)}`} data-testid={`tag-transitions-${row.key}`} aria-label={t('transitions.linkNamed', { name: words.tagName(row) })} style={{ whiteSpace: 'nowrap' }}>
                      {t('transitions.link')}
                    </Link>
                    {row.status === 'archived' && editable && row.kind !== 'model' && (
                      <Button data-testid={`tag-restore-${row.key}`} size="small" aria-label={t('tags.restoreTitle', { name: words.tagName(row) })} onClick={() => void setStatus(row, 'active')}>
                        {t('tags.restore')}
                      </Button>
                    )}
                    {/* A model's tag comes back with its model, which scores its holders again. */}
                    {row.status === 'archived' && editable && row.kind === 'model' && (
                      <Link to={`/models?model=${encodeURIComponent(row.model ?? row.key)}`} data-testid={`tag-restore-${row.key}`} style={{ whiteSpace: 'nowrap' }}>
                        {t('tags.restoreModel')}
                      </Link>
                    )}
                    {/* A model's tag: what it and its values mean is the operators' to write; the rest is its model's, and it goes with its model rather than to the archive. */}
                    {row.status !== 'archived' && row.kind === 'model' && editable && (
                      <Button data-testid={`tag-edit-${row.key}`} size="small" icon={<EditOutlined />} aria-label={t('tags.editTitle', { name: words.tagName(row) })} onClick={() => setEditing({ tag: row })} />
                    )}
                    {row.status !== 'archived' && row.kind !== 'model' && editable && (
                      <>
                        <Button data-testid={`tag-edit-${row.key}`} size="small" icon={<EditOutlined />} aria-label={t('tags.editTitle', { name: words.tagName(row) })} onClick={() => setEditing({ tag: row })} />
                        <TagArchiveButton tag={row} name={words.tagName(row)} onConfirm={() => void setStatus(row, 'archived')} />
                      </>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} lg={7}>
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <TagGroupManager groups={library.groups} loading={library.groupsLoading} editable={editable} onChanged={changed} />
          <GovernanceReport
            generation={generation}
            onEditTag={(key) => {
              const row = library.tags.find((tag) => tag.key === key);
              if (row) setEditing({ tag: row });
            }}
          />
          {editable && <TemplateInstaller onApplied={changed} />}
        </Space>
      </Col>
      {editing && (
        <TagEditor
          tag={editing.tag}
          groups={library.groups}
          onPartlySaved={changed}
          onClose={(saved, created) => {
            setEditing(undefined);
            added.current = created;
            if (saved) changed();
          }}
        />
      )}
    </Row>
  );
}
