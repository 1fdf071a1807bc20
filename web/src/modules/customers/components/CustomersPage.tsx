import { ExportButtons, type ExportFileFormat } from '../../app/components/ExportButtons';
import { Alert, Button, Card, Input, Select, Space, Tooltip, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useBrowseLimit } from '../../app/hooks/useBrowseLimit';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { downloadResponse, type DownloadOptions } from '../../app/utils/downloadResponse';
import { exportColumnsQuery, type ExportColumns } from '../../app/utils/exportColumns';
import { ExpressionEditor } from '../../expression/components/ExpressionEditor';
import { useDebounced } from '../../expression/hooks/useDebounced';
import { useExpressionCount } from '../../expression/hooks/useExpressionCount';
import { useTagLibrary } from '../../tags/hooks/useTagLibrary';
import { useCustomerPage } from '../hooks/useCustomerPage';
import { SORTS, useCustomerView } from '../hooks/useCustomerView';
import { EVERYONE } from '../utils/expressions';
import type { SegmentJson } from '../../segments/hooks/useSegments';
import { BulkTagDialog, type BulkTarget } from './BulkTagDialog';
import { CustomerTable } from './CustomerTable';
import { pluralKey, type MessageKey } from '../../app/utils/messages';

/** How long the filter rests unchanged before a refusal of it empties the list. */
const STOPPED_TYPING_MS = 1000;

const SORT_LABELS: Record<(typeof SORTS)[number], MessageKey> = { '': 'customers.sortDefault', '-spend_365d': 'customers.sortSpend', '-last_order_at': 'customers.sortRecent' };

/** The segment an expression is, when it is only `segment("…")`. */
function segmentNamed(expression: string): string | undefined {
  const quoted = /^segment\s*\(\s*("(?:[^"\\]|\\.)*")\s*\)$/.exec(expression.trim())?.[1];
  if (quoted === undefined) return undefined;
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return undefined;
  }
}

export function CustomersPage() {
  const { t } = useSession();
  const { can } = usePermissions();
  const api = useApi();
  const library = useTagLibrary();
  const [initial, keepInAddress] = useCustomerView();
  const [q, setQ] = useState(initial.q);
  const [filter, setFilter] = useState(initial.filter);
  const [sort, setSort] = useState(initial.sort);
  const [paging, setPaging] = useState({ page: initial.page, pageSize: initial.pageSize });
  useEffect(() => keepInAddress({ q, filter, sort, ...paging }), [keepInAddress, q, filter, sort, paging]);
  const [selected, setSelected] = useState<string[]>([]);
  const [allMatching, setAllMatching] = useState(false);
  const [bulk, setBulk] = useState<{ action: 'assign' | 'remove'; target: BulkTarget }>();
  const [generation, setGeneration] = useState(0);
  const counted = useExpressionCount(filter);
  const expression = counted.settled;
  const page = useCustomerPage({ q, expression, sort, ...paging }, generation);
  // A page past the end (an old link, or a bulk action that took customers out of the filter)
  // would show an empty table under a pager pointing at the last page: go to that last page.
  // A role that may not export pages through the first customers only (the server refuses the rest).
  const browsing = useBrowseLimit(page.total, 'customers.browseLimit');
  const lastPage = Math.max(1, Math.ceil(browsing.pagedTotal / paging.pageSize));
  useEffect(() => {
    if (!page.loading && !page.error && paging.page > lastPage) setPaging((p) => ({ ...p, page: lastPage }));
  }, [page.loading, page.error, paging.page, lastPage]);

  const clearSelection = () => {
    setSelected([]);
    setAllMatching(false);
  };
  // "Everyone matching" must mean what the table shows. It does not while the filter typed has
  // not been checked (a bad one leaves the last good one, or everyone, in force), nor for a
  // search, which narrows the table but no expression can say: acting on the filter's customers
  // then would tag or export more than the table shows.
  const filterChecked = !counted.pending && counted.settled === filter.trim();
  // Nor does the table show them for a filter the server refused: the error stands in for its
  // customers. Only once the typing has stopped, though: an expression half typed does not parse,
  // and emptying the list at each pause would make it flicker; the last good list stays, dimmed.
  const typing = useDebounced(filter, STOPPED_TYPING_MS) !== filter;
  const filterRefused = counted.refused && !counted.pending && !typing && filter.trim() !== '';
  const stale = !filterChecked && !filterRefused;
  const searching = q.trim() !== '';
  const matchingUsable = filterChecked && !searching;
  const target: BulkTarget | undefined =
    allMatching && matchingUsable ? { kind: 'matching', expression: expression || EVERYONE, count: page.total } : selected.length > 0 ? { kind: 'selected', ids: selected } : undefined;
  const savedSegments = useApiQuery<{ items: SegmentJson[] }>(can('export') ? '/segments' : null);
  // The file is named as the operator would name it: a saved segment's members (its member count
  // leads here) by the segment's name, as its own export names them; otherwise everyone or a filter's.
  const exportName = () => {
    const key = segmentNamed(expression);
    const segment = key === undefined ? undefined : savedSegments.data?.items.find((each) => each.key === key || each.name === key);
    return segment?.name ?? t(expression ? 'customers.exportFileFiltered' : 'customers.exportFile');
  };
  const exportMembers = async (format: ExportFileFormat, download: DownloadOptions, columns: ExportColumns) =>
    downloadResponse(await api.raw('POST', `/segments/export?format=${format}&header=names${exportColumnsQuery(columns)}`, { expression: expression || EVERYONE }, download.signal), `${exportName()}.${format}`, download);

  return (
    <Card>
      <Space direction="vertical" style={{ width: '100%' }} size={12}>
        <Space wrap>
          {/* The search button named in the console's language: antd's own is named by its icon, "search". */}
          {/* The rule of a pinyin search (docs/api.md, `q`) on hover: staff type names the way WeCom lets them. */}
          <Tooltip title={t('customers.searchHint')} placement="bottomLeft" mouseEnterDelay={0.6}>
            <Input.Search data-testid="customer-search" aria-label={t('customers.search')} enterButton={<Button icon={<SearchOutlined />} aria-label={t('common.search')} />} allowClear maxLength={256} defaultValue={initial.q} placeholder={t('customers.search')} style={{ width: 300, maxWidth: '100%' }} onSearch={(value) => { setQ(value); setPaging((p) => ({ ...p, page: 1 })); clearSelection(); }} />
          </Tooltip>
          <Select data-testid="customer-sort" style={{ width: 200 }} value={sort} onChange={(value) => { setSort(value); setPaging((p) => ({ ...p, page: 1 })); }} aria-label={t('customers.sort')} options={SORTS.map((value) => ({ value, label: t(SORT_LABELS[value]) }))} />
          {can('export') && (
            <Tooltip title={matchingUsable ? undefined : t(searching ? 'customers.exportSearch' : 'customers.filterUnchecked')}>
              <span>
                <ExportButtons icon testId="customers-export" disabled={!matchingUsable || (!page.loading && page.total === 0)} onExport={exportMembers} columns />
              </span>
            </Tooltip>
          )}
        </Space>
        {/* Without conditions the list is everyone's only until a search narrows it: then the line says so. */}
        <ExpressionEditor testId="customer-filter" value={filter} onChange={(value) => { setFilter(value); setPaging((p) => ({ ...p, page: 1 })); clearSelection(); }} result={counted} placeholder={t('customers.filter')} emptyText={searching ? t('customers.searchOnly', { q: q.trim() }) : undefined} />
        {page.error && (
          <Alert
            type="error"
            showIcon
            message={page.error}
            action={
              <Button data-testid="customers-retry" loading={page.loading} onClick={page.retry}>
                {t('customers.retry')}
              </Button>
            }
          />
        )}
        {/* Customers are selected to be tagged: a role that may not tag has nothing to select them for. */}
        {can('write') && (
          <Space wrap>
            <Typography.Text data-testid="selection-status">{allMatching && matchingUsable ? t(pluralKey('customers.allSelected', page.total), { count: page.total }) : t('customers.selected', { count: selected.length })}</Typography.Text>
            {!allMatching && matchingUsable && page.total > 0 && (
              <Button data-testid="select-all-matching" size="small" onClick={() => setAllMatching(true)}>
                {t(pluralKey('customers.selectAll', page.total), { count: page.total })}
              </Button>
            )}
            {(allMatching || selected.length > 0) && (
              <Button size="small" onClick={clearSelection}>
                {t('customers.clear')}
              </Button>
            )}
            <Button data-testid="bulk-tag-button" type="primary" disabled={!target} onClick={() => target && setBulk({ action: 'assign', target })}>
              {t('customers.bulkTag')}
            </Button>
            <Button danger disabled={!target} onClick={() => target && setBulk({ action: 'remove', target })}>
              {t('customers.bulkUntag')}
            </Button>
          </Space>
        )}
        {browsing.note !== undefined && (
          <Typography.Text type="secondary" data-testid="customers-browse-limit">
            {browsing.note}
          </Typography.Text>
        )}
        <CustomerTable rows={filterRefused ? [] : page.rows} total={filterRefused ? 0 : page.total} loading={!filterRefused && page.loading} page={paging.page} pageSize={paging.pageSize} colors={library.colors} selected={selected} onSelect={can('write') ? (ids) => { setSelected(ids); setAllMatching(false); } : undefined} onPage={(p, size) => setPaging({ page: p, pageSize: size })} narrowed={searching || expression.trim() !== ''} filterRefused={filterRefused} unread={page.error !== undefined && !page.loading} stale={stale} />
      </Space>
      {bulk && (
        <BulkTagDialog
          action={bulk.action}
          target={bulk.target}
          tags={library.tags}
          onClose={(changed) => {
            setBulk(undefined);
            if (changed) {
              clearSelection();
              setGeneration((n) => n + 1);
              library.reload();
            }
          }}
        />
      )}
    </Card>
  );
}
