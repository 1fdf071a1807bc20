// Renders a diagnostic for a terminal or a log: the message, then the source line with a
// caret line under the span. Chinese characters and emoji take two columns on screen, so
// the caret is padded by display width, not by character count.
import type { Locale } from '../locale.js';
import { diagnosticMessage, type DiagnosticReason, type ExpressionDiagnostic } from './diagnostic.js';
import { describeExpected } from './wording.js';

/** Reasons whose message already ends in "did you mean", so no separate rewrite line is shown. */
const SUGGESTING_REASONS = new Set<DiagnosticReason>(['unknown_name', 'unknown_tag_value', 'unknown_option']);

export function formatDiagnostic(source: string, diagnostic: ExpressionDiagnostic, locale: Locale = 'en'): string {
  const lines = source.split(/\r\n|\r|\n/);
  const lineText = lines[diagnostic.line - 1] ?? '';
  const characters = Array.from(lineText);
  const before = characters.slice(0, diagnostic.column - 1);
  const spanText = source.slice(diagnostic.offset, diagnostic.offset + diagnostic.length);
  // A span that runs onto later lines is underlined to the end of its first line.
  const underlined = Array.from(spanText.split(/\r\n|\r|\n/)[0] ?? '');
  const gutter = String(diagnostic.line);
  const blank = ' '.repeat(gutter.length);
  const padding = before.map((char) => (char === '\t' ? '\t' : ' '.repeat(displayWidth(char)))).join('');
  const carets = '^'.repeat(Math.max(1, underlined.reduce((width, char) => width + displayWidth(char), 0)));
  const zh = locale === 'zh-CN';
  const message = diagnosticMessage(diagnostic, locale);
  const output = [
    zh ? `${diagnostic.code}（第 ${diagnostic.line} 行第 ${diagnostic.column} 列）：${message}` : `${diagnostic.code} at line ${diagnostic.line}, column ${diagnostic.column}: ${message}`,
    `${gutter} | ${lineText}`,
    `${blank} | ${padding}${carets}`,
  ];
  if (diagnostic.expected.length > 0) output.push(`${blank} = ${zh ? '应为' : 'expected'} ${describeExpected(diagnostic.expected, locale)}`);
  if (diagnostic.suggestion !== undefined && !SUGGESTING_REASONS.has(diagnostic.reason)) output.push(`${blank} = ${zh ? '可改为' : 'try'} ${diagnostic.suggestion}`);
  return output.join('\n');
}

const MARK = /^\p{M}$/u;

/** Columns a character takes in a terminal: 2 for East Asian wide characters and emoji, 0 for combining marks. */
export function displayWidth(char: string): number {
  const codePoint = char.codePointAt(0) ?? 0;
  // Combining marks, zero-width spaces and joiners, and variation selectors add no column.
  if (MARK.test(char) || (codePoint >= 0x200b && codePoint <= 0x200f) || (codePoint >= 0xfe00 && codePoint <= 0xfe0f)) return 0;
  const wide =
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf && codePoint !== 0x303f) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd);
  return wide ? 2 : 1;
}
