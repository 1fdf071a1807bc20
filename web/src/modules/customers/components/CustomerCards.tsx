import { Checkbox, Typography, type PaginationProps } from 'antd';
import { CardLines } from '../../app/components/CardLines';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { maskIdentity } from '../../../../../src/core/access';
import { RowCards } from '../../app/components/RowCards';
import { useSession } from '../../app/hooks/useSession';
import type { PreviewRow } from '../../app/utils/types';
import { TagChip } from '../../tags/components/TagChip';
import { selectBoxLabel } from '../utils/selectBoxLabel';

/** A selection box a finger's 40 px high, its words beside it. */
const TOUCH_BOX = { minHeight: 40, alignItems: 'center' } as const;

interface Props {
  /** The list's test id (each card's is `customer-card-ID`). */
  testId?: string;
  rows: PreviewRow[];
  loading: boolean;
  colors: Map<string, string>;
  /** A stored tag label in the words to show (a model's tag in the catalog's English words in English). */
  shown: (label: string) => string;
  /** What the list says when it has none. */
  empty: ReactNode;
  pagination: PaginationProps;
  selected: string[];
  /** Customers can be selected only when given: for bulk tagging. */
  onSelect?: ((ids: string[]) => void) | undefined;
  /** What every card says, under its heading, before the customer's own lines: how a flow's customers moved, say. */
  leadingLines?: readonly (readonly [string, ReactNode])[];
}

/**
 * Customers on a phone, one card each: the name (or the id of a customer without one) linking to the
 * portrait, with the id beside it to tell two 张伟 apart, then city, level, phone as seen and every
 * tag, each under its heading, and the box that selects the customer for bulk tagging at the bottom.
 * In the table the phone and tags lay past the screen's edge, a sideways scroll away from the name.
 * A flow's customers, on the tag transitions page, first say the values they went between and when (`leadingLines`).
 */
export function CustomerCards({ testId = 'customer-cards', rows, loading, colors, shown, empty, pagination, selected, onSelect, leadingLines = [] }: Props) {
  const { t } = useSession();
  const ids = rows.map((row) => row.id);
  const chosen = ids.filter((id) => selected.includes(id));
  const others = selected.filter((id) => !ids.includes(id));
  // Selecting the page keeps those chosen on other pages, as the table's header box does.
  const pageBox = onSelect && rows.length > 0 && (
    <Checkbox
      data-testid="customer-cards-select-page"
      style={TOUCH_BOX}
      checked={chosen.length === ids.length}
      indeterminate={chosen.length > 0 && chosen.length < ids.length}
      onChange={(event) => onSelect(event.target.checked ? [...others, ...ids] : others)}
    >
      {t('customers.selectPage')}
    </Checkbox>
  );
  const lines = (row: PreviewRow): (readonly [string, ReactNode])[] => [
    ...leadingLines,
    [t('customers.city'), row.city ?? '—'],
    [t('customers.level'), row.member_level ?? '—'],
    [t('customers.phone'), row.phone ? maskIdentity('phone', row.phone) : '—'],
    [t('customers.tags'), row.tags.length === 0 ? '—' : row.tags.map((label) => <TagChip key={label} label={shown(label)} color={colors.get(label)} />)],
  ];
  return (
    <RowCards<PreviewRow>
      testId={testId}
      rows={rows}
      rowKey={(row) => row.id}
      cardClassName="tb-customer-card"
      cardTestId={(row) => `customer-card-${row.id}`}
      loading={loading}
      empty={empty}
      // The pager the table had (antd's small one, as beside a middle-sized table): the total and the
      // simple pager's arrows stay on one line of a phone, in English too.
      pagination={{ size: 'small', ...pagination }}
      header={pageBox || undefined}
    >
      {(row) => (
        <>
          <div style={{ overflowWrap: 'anywhere' }}>
            <Link to={`/customers/${encodeURIComponent(row.id)}`} style={{ fontWeight: 600 }}>
              {row.name ?? row.id}
            </Link>
            {row.name !== null && (
              <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                {row.id}
              </Typography.Text>
            )}
          </div>
          <CardLines lines={lines(row)} />
          {onSelect && (
            <Checkbox
              data-testid={`customer-select-${row.id}`}
              style={TOUCH_BOX}
              checked={selected.includes(row.id)}
              onChange={(event) => onSelect(event.target.checked ? [...selected, row.id] : selected.filter((id) => id !== row.id))}
              aria-label={selectBoxLabel(t, row)}
            >
              {t('customers.choose')}
            </Checkbox>
          )}
        </>
      )}
    </RowCards>
  );
}
