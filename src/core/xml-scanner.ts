// A small incremental XML scanner for the parts of an Excel workbook: text is written to it in
// chunks of any size (a tag or a text may be cut anywhere), and it calls its handler for each
// opening tag, closing tag and text, so that a sheet of a million rows is read without being held
// whole. It knows no DTDs or namespaces: tag names come without their prefix (`x:c` is `c`), and
// attributes are parsed only for the tags a reader asks about (`xmlAttributes`).

export interface XmlHandler {
  /** A tag opened (`selfClosing` for `<c r="A1"/>`, which is not closed again); `attributes` is its raw text. */
  open(name: string, attributes: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Text between tags, its character references decoded (CDATA as written). */
  text(text: string): void;
}

const NAMED: Record<string, string> = { amp: '&', apos: "'", gt: '>', lt: '<', quot: '"' };

function decodeReference(whole: string, decimal: string | undefined, hex: string | undefined, name: string | undefined): string {
  if (name !== undefined) return NAMED[name.toLowerCase()] ?? whole;
  const code = decimal !== undefined ? Number(decimal) : parseInt(hex ?? '', 16);
  return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
}

/** Text with its character references (`&amp;`, `&#20013;`, `&#x4E2D;`) decoded; an unknown name is kept as written. */
export function decodeXmlText(text: string): string {
  return text.includes('&') ? text.replace(/&#(\d+);|&#x([0-9a-f]+);|&(\w+);/gi, decodeReference) : text;
}

/** The attributes of a tag's raw text, by name without its namespace prefix (`r:id` is `id`), values decoded. */
export function xmlAttributes(raw: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of raw.matchAll(/([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const name = match[1] ?? '';
    if (name.startsWith('xmlns')) continue;
    attributes.set(name.slice(name.indexOf(':') + 1), decodeXmlText(match[2] ?? match[3] ?? ''));
  }
  return attributes;
}

const GREATER_THAN = 62;
const SLASH = 47;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;

/** Where a tag that opens at `start` ends (its `>`, not one inside a quoted value); -1 when not yet written. */
function tagEnd(xml: string, start: number): number {
  let quote = 0;
  for (let at = start + 1; at < xml.length; at++) {
    const code = xml.charCodeAt(at);
    if (quote !== 0) {
      if (code === quote) quote = 0;
    } else if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) quote = code;
    else if (code === GREATER_THAN) return at;
  }
  return -1;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

export class XmlScanner {
  /** What was written and not yet scanned: a tag or text cut by the end of a chunk. */
  private rest = '';

  constructor(private readonly handler: XmlHandler) {}

  write(chunk: string): void {
    const xml = this.rest === '' ? chunk : this.rest + chunk;
    this.rest = '';
    let at = 0;
    while (at < xml.length) {
      const open = xml.indexOf('<', at);
      if (open < 0) {
        // Text whose end is not yet written: held until its tag comes.
        this.rest = xml.slice(at);
        return;
      }
      if (open > at) this.handler.text(decodeXmlText(xml.slice(at, open)));
      const next = this.markup(xml, open);
      if (next < 0) {
        this.rest = xml.slice(open);
        return;
      }
      at = next;
    }
  }

  /** The end of the text: a tag or text left cut off is an error. */
  end(): void {
    if (this.rest.startsWith('<')) throw new Error(`the XML ends inside "${this.rest.slice(0, 40)}"`);
    this.rest = '';
  }

  /** Scans the markup at `open` (a `<`); where the text after it starts, or -1 when it is not yet written whole. */
  private markup(xml: string, open: number): number {
    const second = xml.charCodeAt(open + 1);
    if (Number.isNaN(second)) return -1;
    if (second === 33 /* ! */) {
      if (xml.startsWith('<!--', open)) {
        const close = xml.indexOf('-->', open + 4);
        return close < 0 ? -1 : close + 3;
      }
      if (xml.startsWith('<![CDATA[', open)) {
        const close = xml.indexOf(']]>', open + 9);
        if (close < 0) return -1;
        this.handler.text(xml.slice(open + 9, close));
        return close + 3;
      }
      if (xml.length - open < 9) return -1;
      const close = tagEnd(xml, open);
      return close < 0 ? -1 : close + 1;
    }
    if (second === 63 /* ? */) {
      const close = xml.indexOf('?>', open + 2);
      return close < 0 ? -1 : close + 2;
    }
    const close = tagEnd(xml, open);
    if (close < 0) return -1;
    if (second === SLASH) {
      this.handler.close(localName(xml.slice(open + 2, close).trim()));
      return close + 1;
    }
    const selfClosing = xml.charCodeAt(close - 1) === SLASH;
    const inside = xml.slice(open + 1, selfClosing ? close - 1 : close);
    const space = inside.search(/\s/);
    const name = localName(space < 0 ? inside : inside.slice(0, space));
    this.handler.open(name, space < 0 ? '' : inside.slice(space), selfClosing);
    if (selfClosing) this.handler.close(name);
    return close + 1;
  }
}

/** Scans a whole text (a part read at once). */
export function scanXml(xml: string, handler: XmlHandler): void {
  const scanner = new XmlScanner(handler);
  scanner.write(xml);
  scanner.end();
}
