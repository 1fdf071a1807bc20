import { Alert, Button, Card, Radio, Select, Space, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';
import { useTouchOnly } from '../../app/hooks/useTouchOnly';
import { joinNames } from '../../app/utils/format';
import { pluralKey } from '../../app/utils/messages';
import { useImport } from '../hooks/useImport';
import { customFieldOf, fieldHeadings, guessTarget, isExportedOnlyColumn, isRejectedReport, REJECTED_REPORT_COLUMNS, REQUIRED_TARGETS, TARGETS, type ImportKind } from '../../../../../src/core/import-columns';
import { decodeFile, type FileEncoding } from '../utils/decodeFile';
import { parseCsv } from '../utils/parseCsv';
import { splitCsv, type CsvChunk } from '../utils/splitCsv';
import { readWorkbook, workbookKind, type WorkbookSheet } from '../utils/readWorkbook';
import { MAX_TITLE_ROWS, headerRowIndex, secondHeaderRow, titleOf, type SecondHeaderRow } from '../../../../../src/core/spreadsheet';
import { TEXT_ENCODING_LABELS } from '../../../../../src/core/text-encoding';
import { collidingColumns } from '../utils/collisions';
import { targetLabel } from '../utils/targetLabel';
import { undeclaredColumns } from '../utils/undeclared';
import { ColumnMapping } from './ColumnMapping';
import { ImportProgressBar } from './ImportProgressBar';
import { ImportResult } from './ImportResult';
import { ImportTemplate } from './ImportTemplate';
import { UndeclaredColumns } from './UndeclaredColumns';

const PREVIEW_ROWS = 5;
// The file travels in pieces, so the server's 16 MB body limit no longer bounds it; the whole
// file still sits in the tab's memory, and past this size `tagbase import` is the better tool.
const MAX_FILE_BYTES = 64 * 1024 * 1024;
// What the page reads: CSV (often saved as .txt by shop systems) and workbooks (an old .xls is
// told apart to say how to save it); a name without an extension is tried as text. Anything
// else (a PDF, a JSON export, a photo) is refused by name, before its bytes are taken for CSV.
const READABLE_NAME = /^[^.]*$|\.(?:csv|txt|xlsx|xls)$/i;

interface LoadedFile {
  name: string;
  header: string[];
  rows: string[][];
  lines: number;
  chunks: CsvChunk[];
  /** How a text file was read; none for a workbook. */
  encoding?: FileEncoding;
  /** A workbook's sheets, and the one shown. */
  sheets?: WorkbookSheet[];
  sheet?: number;
  /** Title rows left out above the header. */
  titles?: { row: number; text: string }[];
  /** A second heading row below the header (a merged 联系方式 over 手机 and 邮箱): the file is not imported. */
  secondHeader?: SecondHeaderRow;
}

function encodingLabel(encoding: FileEncoding): string {
  return TEXT_ENCODING_LABELS[encoding];
}

/** How many formula cells without a result are named; the rest are counted. */
const FORMULAS_NAMED = 5;

/** Upload a CSV or an Excel workbook, map its columns, import it, and see what was rejected and why. */
export function ImportPage() {
  const { t, lang } = useSession();
  // A phone has nothing to drag a file from: its zone is tapped to choose one.
  const touchOnly = useTouchOnly();
  const { can } = usePermissions();
  const job = useImport();
  // An import of this workspace begun before the page was last drawn (in another workspace since, or
  // on another page) is shown again, with its kind: its file is no longer here to map afresh.
  const [kind, setKind] = useState<ImportKind>(() => job.job?.kind ?? 'customers');
  const [file, setFile] = useState<LoadedFile>();
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string>();
  // The file last sent. Once it has gone whole, sending it again would write the same rows a second
  // time (its customers rewritten over any change made since): its button stays greyed out until
  // another file, sheet or kind is chosen. One stopped or failed part way may be sent again to finish.
  const [sent, setSent] = useState<LoadedFile>();
  const imported = file !== undefined && sent === file && !job.running && !job.error && !job.cancelled;
  const finished = job.job !== undefined && !job.job.running;
  const { seen } = job;
  // Its end is seen here: the console stops pointing at it from the other pages and workspaces.
  useEffect(() => {
    if (finished) seen();
  }, [finished, seen]);
  // Customer columns read as custom fields nobody declared: the server would refuse the file for them.
  const fields = useApiQuery<{ items: { key: string; name: string }[] }>(kind === 'customers' ? '/fields' : null);
  const declared = fields.data?.items ?? [];
  const metrics = useApiQuery<{ items: { key: string; name: string; name_en?: string }[] }>('/metrics');
  const metricNames = new Set((metrics.data?.items ?? []).flatMap((metric) => [metric.key, metric.name, ...(metric.name_en === undefined ? [] : [metric.name_en])]));
  const firstGuess = (next: ImportKind, column: string) => {
    // A column headed with a custom field's name goes to that field, as the server reads it.
    const target = guessTarget(next, column, fieldHeadings(declared));
    // An assignment has only its four columns: any other is left out from the start, as the server would refuse it.
    if (next === 'assignments' && !TARGETS.assignments.includes(target)) return '';
    // An export's tags and metrics columns are left out, as the server leaves them out, unless a field is declared so.
    const field = customFieldOf(target);
    if (next === 'customers' && target === column.trim() && field !== undefined && !declared.some((each) => each.key === field) && isExportedOnlyColumn(column.trim(), metricNames)) return '';
    return target;
  };
  // The first guesses, to tell a column the operator has not touched: those are guessed again when the fields and metrics arrive.
  const [guessed, setGuessed] = useState<Record<string, string>>({});
  // A file of rejected rows downloaded here or written by `tagbase import`, put right: its own line, code and reason are left out.
  const guessesOf = (next: ImportKind, header: string[]): Record<string, string> => {
    const report = isRejectedReport(header);
    return Object.fromEntries(header.map((column, index) => [column, report && index < REJECTED_REPORT_COLUMNS.length ? '' : firstGuess(next, column)]));
  };
  const remap = (next: ImportKind, header: string[]) => {
    const guesses = guessesOf(next, header);
    setGuessed(guesses);
    setMapping(guesses);
  };
  // A file dropped before the workspace's fields and metrics were read was guessed without them
  // (积分余额 as a field of its own, not as custom.points_balance): once they are here, its
  // columns still as first guessed are guessed again; a column the operator mapped stays so.
  // A file is read after its drop (a workbook for a while), and its first guesses are made with the
  // fields and metrics known at the drop: so a file arriving is guessed again too, with what the
  // page knows by then.
  const fieldsRead = fields.data;
  const metricsRead = metrics.data;
  useEffect(() => {
    if (!file || (!fieldsRead && !metricsRead)) return;
    const again = guessesOf(kind, file.header);
    setMapping((current) => Object.fromEntries(Object.entries(current).map(([column, target]) => [column, target === guessed[column] ? (again[column] ?? target) : target])));
    setGuessed(again);
    // Only the arrival of what the guesses read, or of a file, starts this; the kind and the guesses are read as they then are.
  }, [fieldsRead, metricsRead, file]);
  /** Says why a file cannot be read, in place of the file shown before: its columns must not stay importable under the message. */
  const refuse = (why: string) => {
    setFile(undefined);
    setProblem(why);
  };
  const load = async (picked: File) => {
    setProblem(undefined);
    job.reset();
    if (picked.size > MAX_FILE_BYTES) {
      refuse(t('imports.tooLarge', { mb: MAX_FILE_BYTES / 1024 / 1024 }));
      return;
    }
    if (!READABLE_NAME.test(picked.name)) {
      refuse(t('imports.wrongType', { name: picked.name }));
      return;
    }
    const bytes = new Uint8Array(await picked.arrayBuffer());
    // Nothing but blanks (a 0-byte file saved from an empty sheet): said so, not "no header row".
    if (bytes.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d)) {
      refuse(t('imports.blankFile', { name: picked.name }));
      return;
    }
    const workbook = workbookKind(picked.name, bytes);
    if (workbook === 'xls') {
      refuse(t('imports.xls'));
      return;
    }
    if (workbook === 'xlsx') {
      const read = await readWorkbook(bytes);
      if (read.problem) {
        refuse(read.problem === 'xls' ? t('imports.xls') : t('imports.notXlsx', { detail: read.detail ?? '' }));
        return;
      }
      // Sheets with nothing on them are not offered.
      const sheets = read.sheets.filter((candidate) => candidate.text !== '');
      show({ name: picked.name, sheets, sheet: 0 }, sheets[0]?.text ?? '');
      return;
    }
    const decoded = decodeFile(bytes);
    if (decoded.problem === 'not-text') {
      refuse(t('imports.notText'));
      return;
    }
    if (decoded.problem === 'bad-bytes') {
      refuse(t('imports.badBytes', { line: decoded.line, encoding: encodingLabel(decoded.encoding) }));
      return;
    }
    show({ name: picked.name, encoding: decoded.encoding }, decoded.text);
  };
  /** Shows a file's CSV text (a text file's, or a workbook sheet's) for mapping and import. */
  const show = (source: Pick<LoadedFile, 'name' | 'encoding' | 'sheets' | 'sheet'>, text: string) => {
    setProblem(undefined);
    job.reset();
    // One-cell title rows above the header (a bill's or a report's) are left out, as the server does.
    const skip = Math.max(headerRowIndex(parseCsv(text, MAX_TITLE_ROWS + 1)), 0);
    const [header = [], ...rows] = parseCsv(text, skip + PREVIEW_ROWS + 1).slice(skip);
    if (header.length === 0) {
      refuse(t('imports.emptyFile'));
      return;
    }
    const split = splitCsv(text, undefined, undefined, skip);
    // A sheet's titles were left out when it became CSV; a text file's are the records skipped here.
    const titles = source.sheets?.[source.sheet ?? 0]?.titles ?? split.skipped.map((record) => titleOf(parseCsv(record.text, 1)[0] ?? [], record.line));
    // A second heading row would be read as a customer, its headings as fields named like the columns above: as the server, refused.
    const secondHeader = source.sheets ? source.sheets[source.sheet ?? 0]?.secondHeaderRow : secondHeaderRow(header, rows[0]);
    setFile({ ...source, header, rows, lines: split.rows, chunks: split.chunks, titles, ...(secondHeader ? { secondHeader } : {}) });
    remap(kind, header);
  };
  const sheet = file?.sheets && file.sheet !== undefined ? file.sheets[file.sheet] : undefined;
  // What a formula saved without its result stands for is not in the file: importing would store it as empty.
  const formulas = sheet?.formulas ?? [];
  // Only renamed or skipped columns travel; the rest keep their names.
  const state = job.running ? 'running' : job.error ? 'failed' : job.cancelled ? 'cancelled' : 'done';
  const columns = Object.fromEntries(Object.entries(mapping).filter(([column, target]) => column !== target));
  const idColumn = Object.entries(mapping).find(([, target]) => target === 'id')?.[0];
  // A column every row needs that no column of the file is mapped to: every row would be refused.
  const unmapped = REQUIRED_TARGETS[kind].filter((target) => !Object.values(mapping).includes(target));
  const undeclared = kind === 'customers' && fields.data ? undeclaredColumns(mapping, new Set(declared.map((field) => field.key))) : [];
  // Columns that would go to one column together: the server would refuse the whole file.
  const collisions = file ? collidingColumns(kind, file.header, mapping) : [];
  const quoted = (column: string) => (lang === 'en-US' ? `“${column}”` : `「${column}」`);
  if (!can('write')) return <Alert data-testid="read-only" type="info" showIcon message={t('access.readOnly')} />;
  return (
    <Card title={t('imports.title')}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Radio.Group
          data-testid="import-kind"
          className="tb-wrapping-buttons"
          optionType="button"
          value={kind}
          onChange={(event) => {
            const next = event.target.value as ImportKind;
            setKind(next);
            if (file) remap(next, file.header);
            setSent(undefined);
            job.reset();
          }}
          options={[
            { value: 'customers', label: t('imports.customers') },
            { value: 'events', label: t('imports.events') },
            { value: 'assignments', label: t('imports.assignments') },
          ]}
        />
        <Typography.Text type="secondary">{t(`imports.help.${kind}`)}</Typography.Text>
        <ImportTemplate kind={kind} showExample={file === undefined} />
        <Upload.Dragger
          data-testid="import-file"
          accept=".csv,.tsv,.txt,.xlsx,.xls,text/csv,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          multiple={false}
          showUploadList={false}
          beforeUpload={(picked) => {
            void load(picked);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{file ? t(pluralKey('imports.loaded', file.lines), { name: file.name, rows: file.lines }) : t(touchOnly ? 'imports.tap' : 'imports.drop')}</p>
        </Upload.Dragger>
        {problem && <Alert data-testid="import-problem" type="error" showIcon message={problem} />}
        {file?.encoding === 'gb18030' && <Alert data-testid="import-encoding" type="info" showIcon message={t('imports.readAsGb18030')} />}
        {file?.titles && file.titles.length > 0 && (
          <Alert
            data-testid="import-titles"
            type="info"
            showIcon
            message={t('imports.titles', { titles: file.titles.map((title) => t('imports.titleRow', { row: title.row, text: title.text })).join('，') })}
          />
        )}
        {file?.sheets && file.sheets.length > 1 && (
          <Space>
            <Typography.Text>{t('imports.sheet')}</Typography.Text>
            <Select
              data-testid="import-sheet"
              style={{ minWidth: 200 }}
              value={file.sheet}
              options={file.sheets.map((candidate, index) => ({ value: index, label: t('imports.sheetOption', { name: candidate.name, rows: candidate.rows }) }))}
              onChange={(index: number) => show({ name: file.name, sheets: file.sheets, sheet: index }, file.sheets?.[index]?.text ?? '')}
            />
          </Space>
        )}
        {file?.secondHeader && (
          <Alert
            data-testid="import-two-row-header"
            type="error"
            showIcon
            message={t(file.secondHeader.above === undefined ? 'imports.twoRowHeaderBelow' : 'imports.twoRowHeader', {
              above: file.secondHeader.above ?? '',
              headings: file.secondHeader.headings.map((heading) => `"${heading}"`).join(lang === 'en-US' ? ', ' : ''),
            })}
          />
        )}
        {file && !file.secondHeader && (
          <>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('imports.mapping')}
            </Typography.Title>
            <ColumnMapping kind={kind} header={file.header} rows={file.rows} mapping={mapping} onChange={setMapping} fields={declared} />
            {file.lines === 0 && <Alert data-testid="import-no-rows" type="warning" showIcon message={t('imports.noRows')} />}
            {formulas.length > 0 && (
              <Alert
                data-testid="import-formulas"
                type="error"
                showIcon
                message={t(pluralKey('imports.formulasWithoutResult', formulas.length), {
                  count: formulas.length,
                  cells: joinNames(
                    formulas.slice(0, FORMULAS_NAMED).map((cell) => t('imports.formulaCell', { row: cell.row, column: cell.column })),
                    lang,
                    formulas.length > FORMULAS_NAMED,
                  ),
                })}
              />
            )}
            {unmapped.length > 0 && <Alert data-testid="import-unmapped" type="warning" showIcon message={t('imports.unmapped', { columns: joinNames(unmapped.map((target) => targetLabel(t, kind, target)), lang) })} />}
            {collisions.length > 0 && (
              <Alert
                data-testid="import-collisions"
                type="warning"
                showIcon
                message={t('imports.collisions', {
                  groups: collisions
                    .map((collision) => t('imports.collision', { columns: joinNames(collision.columns.map(quoted), lang), target: collision.target }))
                    .join(lang === 'en-US' ? '; ' : '；'),
                })}
              />
            )}
            {undeclared.length > 0 && (
              <UndeclaredColumns
                columns={undeclared}
                onDeclared={(column, key) => {
                  setMapping((previous) => ({ ...previous, [column]: `custom.${key}` }));
                  fields.reload();
                }}
              />
            )}
            <Space wrap>
              <Button
                data-testid="import-run"
                type="primary"
                disabled={imported || file.lines === 0 || formulas.length > 0 || unmapped.length > 0 || undeclared.length > 0 || collisions.length > 0}
                loading={job.running}
                onClick={() => {
                  setSent(file);
                  void job.run(kind, file.name, file.chunks, file.lines, columns, sheet?.rowOfLine, idColumn);
                }}
              >
                {t(pluralKey('imports.run', file.lines), { rows: file.lines })}
              </Button>
              {job.progress && <ImportProgressBar progress={job.progress} state={state} rejected={job.result?.rejected ?? 0} onCancel={job.cancel} />}
            </Space>
            {imported && (
              <Typography.Text data-testid="import-done-hint" type="secondary">
                {t('imports.doneHint')}
              </Typography.Text>
            )}
          </>
        )}
        {!file && job.job && job.progress && (
          <Space wrap data-testid="import-earlier">
            <Typography.Text>{t('imports.earlierFile', { file: job.job.fileName })}</Typography.Text>
            <ImportProgressBar progress={job.progress} state={state} rejected={job.result?.rejected ?? 0} onCancel={job.cancel} />
          </Space>
        )}
        {job.error && <Alert data-testid="import-error" type="error" showIcon message={job.error} />}
        {job.result && <ImportResult result={job.result} fileName={file?.name ?? job.job?.fileName ?? ''} />}
      </Space>
    </Card>
  );
}
