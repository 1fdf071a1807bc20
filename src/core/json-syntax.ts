// Why a text is not JSON, in every language. The JSON parser explains itself in English only,
// so its known explanations are worded again in Chinese, with the place it names when it names one.
import { localized, type LocalizedText } from './locale.js';

/** The parser's explanations (without their place) and the same in Chinese; `$1`, `$2` carry over. */
const EXPLANATIONS: readonly (readonly [RegExp, string])[] = [
  [/^Unexpected end of JSON input$/, '内容不完整，在结束前中断了'],
  [/^Unexpected token '(.*)', (.*) is not valid JSON$/s, '$2 不是有效的 JSON：其中出现了意外的字符 \'$1\''],
  [/^(.*) is not valid JSON$/s, '$1 不是有效的 JSON'],
  [/^Unexpected token (.*) in JSON$/, '出现了意外的字符 $1'],
  [/^Unexpected number in JSON$/, '这里不应出现数字'],
  [/^Unexpected string in JSON$/, '这里不应出现字符串'],
  [/^Unterminated string in JSON$/, '字符串缺少结尾的引号'],
  [/^Expected property name or '\}' in JSON$/, '这里应为用双引号括起的属性名或 "}"'],
  [/^Expected double-quoted property name in JSON$/, '这里应为用双引号括起的属性名，最后一个属性之后不能有逗号'],
  [/^Expected ':' after property name in JSON$/, '属性名之后应为 ":"'],
  [/^Expected ',' or '\]' after array element in JSON$/, '数组元素之后应为 "," 或 "]"'],
  [/^Expected ',' or '\}' after property value in JSON$/, '属性值之后应为 "," 或 "}"'],
  [/^Unexpected non-whitespace character after JSON$/, 'JSON 结束之后还有多余的内容'],
  [/^Bad escaped character in JSON$/, '字符串中有无效的转义字符'],
  [/^Bad control character in string literal in JSON$/, '字符串中有未转义的控制字符（如制表符、换行）'],
  [/^Bad Unicode escape in JSON$/, '字符串中有无效的 Unicode 转义'],
  [/^No number after minus sign in JSON$/, '负号之后缺少数字'],
  [/^Exponent part is missing a number in JSON$/, '指数部分缺少数字'],
  [/^Unterminated fractional number in JSON$/, '小数点之后缺少数字'],
];

/** Where the parser says the problem is: "at position N" (from 0), and in newer versions "(line L column C)" too. */
function placeOf(message: string): { explanation: string; where: string } {
  const match = /^(.*?) at position (\d+)(?: \(line (\d+) column (\d+)\))?$/s.exec(message);
  if (!match) return { explanation: message, where: '' };
  const [, explanation = message, position, line, column] = match;
  const where = line !== undefined && column !== undefined ? `第 ${line} 行第 ${column} 列` : `第 ${Number(position) + 1} 个字符处`;
  return { explanation, where: `（${where}）` };
}

/**
 * A JSON parser's message in every language: English is the parser's own words, Chinese says
 * the same and where. A message the table does not know reads as "malformed" in Chinese,
 * keeping the place.
 */
export function explainJsonSyntaxError(message: string): LocalizedText {
  const { explanation, where } = placeOf(message);
  const known = EXPLANATIONS.find(([pattern]) => pattern.test(explanation));
  const chinese = known ? explanation.replace(known[0], known[1]) : '格式有误';
  return localized(message, `${chinese}${where}`);
}
