import { Select, Table } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { TARGETS, type ImportKind } from '../../../../../src/core/import-columns';
import { targetLabel } from '../utils/targetLabel';

/** The file's first rows under its own headers, each with the importer's column it goes to. */
export function ColumnMapping({
  kind,
  header,
  rows,
  mapping,
  onChange,
  fields = [],
}: {
  kind: ImportKind;
  header: string[];
  rows: string[][];
  mapping: Record<string, string>;
  onChange: (mapping: Record<string, string>) => void;
  /** The workspace's custom fields, each offered for any customer column. */
  fields?: readonly { key: string; name: string }[];
}) {
  const { t } = useSession();
  const optionsFor = (column: string) => {
    const declared = fields.map((field) => ({ value: `custom.${field.key}`, label: `custom.${field.key} · ${field.name}` }));
    const own = kind === 'customers' ? [`custom.${column}`] : kind === 'events' ? [`properties.${column}`] : [];
    const targets = [...TARGETS[kind], ...own.filter((target) => !declared.some((option) => option.value === target))].map((target) => ({ value: target, label: targetLabel(t, kind, target) }));
    return [{ value: '', label: t('imports.skip') }, ...targets, ...(kind === 'customers' ? declared : [])];
  };
  return (
    // The table scrolls in its own box: antd's horizontal scroll would render each header twice.
    <div style={{ overflowX: 'auto' }}>
    <Table<{ key: number; cells: string[] }>
      data-testid="import-preview"
      size="small"
      pagination={false}
      dataSource={rows.map((cells, index) => ({ key: index, cells }))}
      columns={header.map((column, index) => ({
        key: column,
        title: (
          <div>
            <div style={{ marginBottom: 4 }}>{column}</div>
            <Select
              data-testid={`import-map-${column}`}
              aria-label={t('imports.mapColumn', { column })}
              size="small"
              style={{ minWidth: 140 }}
              // The names run longer than the column: the list shows each whole.
              popupMatchSelectWidth={false}
              value={mapping[column] ?? column}
              onChange={(target: string) => onChange({ ...mapping, [column]: target })}
              options={optionsFor(column)}
            />
          </div>
        ),
        render: (_: unknown, row) => row.cells[index] ?? '',
      }))}
    />
    </div>
  );
}
