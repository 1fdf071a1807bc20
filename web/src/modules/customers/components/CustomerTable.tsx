import { Grid, Table, type CheckboxProps, type PaginationProps, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { useSession } from '../../app/hooks/useSession';
import { usePagerLabels } from '../../app/hooks/usePagerLabels';
import { useBrowseLimit } from '../../app/hooks/useBrowseLimit';
import type { SessionState } from '../../app/utils/sessionContext';
import type { PreviewRow } from '../../app/utils/types';
import { maskIdentity } from '../../../../../src/core/access';
import { useModelWords } from '../../models/hooks/useModelWords';
import { TagChip } from '../../tags/components/TagChip';
import { PAGE_SIZES } from '../hooks/useCustomerView';
import { pluralKey } from '../../app/utils/messages';
import { knownRows } from '../../app/utils/knownRows';
import { selectBoxLabel } from '../utils/selectBoxLabel';
import { CustomerCards } from './CustomerCards';

/**
 * A customer as a wide screen's lists show one, wherever the list comes from: id and name linking to
 * the portrait, city, level, phone as seen, tags. On a phone the lists show cards instead
 * (CustomerCards): there a table put the phone and the tags a sideways scroll away from the name.
 * `shown` puts a stored tag label in the words to show (a model's tag in the catalog's English words
 * in English); its colour stays the stored label's.
 */
export function customerColumns(t: SessionState['t'], colors: Map<string, string>, { shown = (label: string) => label } = {}): TableColumnsType<PreviewRow> {
  const portrait = (id: string) => `/customers/${encodeURIComponent(id)}`;
  return [
    { title: t('customers.id'), dataIndex: 'id', width: 110, render: (value: string) => <Link to={portrait(value)}>{value}</Link> },
    { title: t('customers.name'), dataIndex: 'name', width: 110, render: (value: string | null, row) => <Link to={portrait(row.id)}>{value ?? '—'}</Link> },
    { title: t('customers.city'), dataIndex: 'city', width: 80 },
    { title: t('customers.level'), dataIndex: 'member_level', width: 100 },
    { title: t('customers.phone'), dataIndex: 'phone', width: 130, render: (phone: string | null) => (phone ? maskIdentity('phone', phone) : '—') },
    {
      title: t('customers.tags'),
      dataIndex: 'tags',
      render: (tags: string[]) => tags.map((label) => <TagChip key={label} label={shown(label)} color={colors.get(label)} />),
    },
  ];
}

/** The fixed columns and the selection box, and room for two or three tags beside them. */
const CUSTOMER_TABLE_WIDTH = 900;

interface Props {
  rows: PreviewRow[];
  total: number;
  loading: boolean;
  page: number;
  pageSize: number;
  colors: Map<string, string>;
  selected: string[];
  /** Rows can be selected only when given: for bulk tagging. */
  onSelect?: ((ids: string[]) => void) | undefined;
  onPage: (page: number, pageSize: number) => void;
  /** Whether a search or a filter narrows the list: an empty one then means no match, not no customers. */
  narrowed: boolean;
  /** Whether the server refused the filter: the list is then empty for the mistake, not for want of matches. */
  filterRefused?: boolean;
  /** Whether the customers could not be read (the server down): the list is then empty for that, not for want of customers. */
  unread?: boolean;
  /** Whether the rows are those of an earlier filter, while the one typed is checked: they are dimmed. */
  stale?: boolean;
}

export function CustomerTable({ rows, total, loading, page, pageSize, colors, selected, onSelect, onPage, narrowed, filterRefused = false, unread = false, stale = false }: Props) {
  const { t } = useSession();
  const words = useModelWords();
  const pager = usePagerLabels();
  // A role without the export permission pages through the first customers only.
  const { pagedTotal } = useBrowseLimit(total, 'customers.browseLimit');
  // On a phone each customer is a card the screen's width, the phone and tags in sight under the
  // name; a table there put them a sideways scroll away.
  const phone = Grid.useBreakpoint().md === false;
  const empty = t(unread ? 'customers.unread' : filterRefused ? 'customers.filterRefused' : narrowed ? 'customers.noMatch' : 'customers.none');
  // On a phone the pager is the simple one (‹ 3 / 100 ›), whose arrow does not wrap onto a line of its own.
  const pagination: PaginationProps = { ...pager, simple: phone, current: page, pageSize, total: pagedTotal, showSizeChanger: true, pageSizeOptions: [...PAGE_SIZES], onChange: onPage, showTotal: () => t(pluralKey('customers.total', total), { total }) };
  const shown = (label: string) => words.label(label);
  if (phone)
    return (
      <div aria-busy={stale} style={stale ? { opacity: 0.55, transition: 'opacity 0.2s' } : undefined}>
        <CustomerCards rows={rows} loading={loading} colors={colors} shown={shown} empty={empty} pagination={pagination} selected={selected} onSelect={onSelect} />
      </div>
    );
  return (
    <Table<PreviewRow>
      // A minimum width, not max-content: a customer's many tags wrap in their column instead of
      // pushing the table sideways.
      scroll={{ x: CUSTOMER_TABLE_WIDTH }}
      data-testid="customer-table"
      aria-busy={stale}
      style={stale ? { opacity: 0.55, transition: 'opacity 0.2s' } : undefined}
      size="middle"
      rowKey="id"
      loading={loading}
      dataSource={knownRows(rows, loading)}
      locale={{ emptyText: empty }}
      rowSelection={
        onSelect && {
          selectedRowKeys: selected,
          preserveSelectedRowKeys: true,
          onChange: (keys) => onSelect(keys.map(String)),
          // antd names the header's box "Select all" in every language, and a row's not at all. (Its
          // type for a row's box leaves out the aria attributes, which it hands on to the box all the same.)
          getTitleCheckboxProps: () => ({ 'aria-label': t('customers.selectPage') }),
          getCheckboxProps: (row) => ({ 'aria-label': selectBoxLabel(t, row) }) as CheckboxProps,
        }
      }
      pagination={pagination}
      columns={customerColumns(t, colors, { shown })}
    />
  );
}
