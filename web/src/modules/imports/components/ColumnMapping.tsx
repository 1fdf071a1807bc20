import { Select, Table } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { TARGETS, type ImportKind } from '../../../../../src/core/import-columns';

/** The file's first rows under its own headers, each with the importer's column it goes to. */
export function ColumnMapping({ kind, header, rows, mapping, onChange }: { kind: ImportKind; header: string[]; rows: string[][]; mapping: Record<string, string>; onChange: (mapping: Record<string, string>) => void }) {
  const { t } = useSession();
  const optionsFor = (column: string) => {
    const extra = kind === 'customers' ? [`custom.${column}`] : kind === 'events' ? [`properties.${column}`] : [];
    return [{ value: '', label: t('imports.skip') }, ...[...TARGETS[kind], ...extra].map((target) => ({ value: target, label: target }))];
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
