// The page reader's thread (see page-reader.ts): runs a full build's page statements on its own
// read-only connection to the store's file, at most `ahead` pages before the build, and posts
// each page's documents back. It does the paging itself, from each page's last id.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file, statements, batch, ahead } = workerData;

function prepare(database, statement) {
  const prepared = database.prepare(statement.sql);
  prepared.raw(true);
  return (values) => prepared.get(...statement.parameters.map((parameter) => ('slot' in parameter ? values[parameter.slot] : parameter.value)));
}

function open() {
  const database = new Database(file, { readonly: true, fileMustExist: true });
  database.pragma('busy_timeout = 5000');
  const customers = prepare(database, statements.customers);
  const bounds = prepare(database, statements.bounds);
  const assignments = prepare(database, statements.assignments);
  const metrics = prepare(database, statements.metrics);
  const identities = prepare(database, statements.identities);
  // One read transaction per page, as the build's own: the statements see the same customers.
  return database.transaction((after) => {
    let document;
    try {
      document = customers({ after });
    } catch {
      // A blob somewhere in the page: the build reads it as rows.
      document = undefined;
    }
    if (!document || document[1]) {
      const [through, count] = bounds({ after });
      return { kind: 'fallback', count, through };
    }
    const [rows, , first, last, count] = document;
    if (count === 0) return { kind: 'page', count, last: null, rows: null, customerIds: null, tagIds: null, valueIds: null, metricIds: null, metricLengths: null, metrics: null, identityIds: null, identityBits: null };
    const [customerIds, tagIds, valueIds] = assignments({ first, last });
    const [metricIds, metricLengths, metricBytes] = metrics({ first, last });
    const [identityIds, identityBits] = identities({ first, last });
    return { kind: 'page', count, last, rows, customerIds, tagIds, valueIds, metricIds, metricLengths, metrics: metricBytes, identityIds, identityBits };
  });
}

const COMMA = 0x2c;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * A list of integers as group_concat writes it (`12,7,30`), read here rather than by the build:
 * a million customers' assignments are ten million ids. Only numbers of at most 15 digits
 * without sign or leading zero, which are exact as doubles; for anything else the bytes are
 * passed on as they are, for the build to read.
 */
function integerList(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) return bytes;
  let count = 1;
  for (let p = 0; p < bytes.length; p++) if (bytes[p] === COMMA) count++;
  const numbers = new Float64Array(count);
  let p = 0;
  for (let i = 0; i < count; i++) {
    const start = p;
    let value = 0;
    while (p < bytes.length && bytes[p] >= ZERO && bytes[p] <= NINE) value = value * 10 + (bytes[p++] - ZERO);
    const digits = p - start;
    if (digits === 0 || digits > 15 || (digits > 1 && bytes[start] === ZERO)) return bytes;
    if (p < bytes.length && (bytes[p] !== COMMA || i === count - 1)) return bytes;
    numbers[i] = value;
    p++;
  }
  return numbers;
}

/** The buffers of a page that own their memory, handed over rather than copied. */
function transferable(page) {
  if (page.kind !== 'page') return [];
  const arrays = [page.rows, page.customerIds, page.tagIds, page.valueIds, page.metrics, page.identityIds, page.identityBits];
  return arrays.filter((array) => ArrayBuffer.isView(array) && array.byteOffset === 0 && array.byteLength === array.buffer.byteLength).map((array) => array.buffer);
}

let readPage;
try {
  readPage = open();
} catch (error) {
  parentPort.postMessage({ kind: 'unavailable', reason: error instanceof Error ? error.message : String(error) });
}

if (readPage) {
  let after = workerData.after;
  let credits = ahead;
  let done = false;
  const pump = () => {
    while (credits > 0 && !done) {
      credits--;
      let page;
      try {
        page = readPage(after);
      } catch (error) {
        done = true;
        parentPort.postMessage({ kind: 'error', message: error instanceof Error ? error.message : String(error), code: error?.code });
        return;
      }
      if (page.kind === 'page') {
        page.customerIds = integerList(page.customerIds);
        page.tagIds = integerList(page.tagIds);
        page.valueIds = integerList(page.valueIds);
        page.identityIds = integerList(page.identityIds);
        page.identityBits = integerList(page.identityBits);
      }
      done = page.count < batch;
      after = page.kind === 'page' ? page.last : page.through;
      parentPort.postMessage(page, transferable(page));
    }
  };
  // Each message is a page the build took: room for one more.
  parentPort.on('message', () => {
    credits++;
    pump();
  });
  pump();
}
