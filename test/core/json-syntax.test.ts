import { describe, expect, it } from 'vitest';
import { explainJsonSyntaxError } from '../../src/core/json-syntax.js';

function parserMessage(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is JSON`);
}

describe('malformed JSON in two languages', () => {
  it('keeps the parser’s English and says the same in Chinese, with the place it names', () => {
    const message = parserMessage('{"a": 1 "b": 2}');
    expect(explainJsonSyntaxError(message)).toEqual({ en: message, 'zh-CN': '属性值之后应为 "," 或 "}"（第 9 个字符处）' });
    expect(explainJsonSyntaxError(parserMessage('{"a": 1'))['zh-CN']).toBe('属性值之后应为 "," 或 "}"（第 8 个字符处）');
    expect(explainJsonSyntaxError(parserMessage('[1,'))['zh-CN']).toBe('内容不完整，在结束前中断了');
  });

  it('words every explanation the parser gives in Chinese', () => {
    for (const text of ['{', '{"a":1,}', '{"a" 1}', '[1 2]', '{"a":1} x', '"ab', '"\\x"', '"\\u12"', '-', '1e', '1.', '"a\tb"', '{"a": x}', '01']) {
      const explained = explainJsonSyntaxError(parserMessage(text));
      expect(explained['zh-CN'], explained.en).toMatch(/\p{Script=Han}/u);
      expect(explained['zh-CN'], explained.en).not.toMatch(/^格式有误/);
    }
  });

  it('reads the line and column newer parsers add, and keeps the place of a message it does not know', () => {
    expect(explainJsonSyntaxError("Expected ',' or '}' after property value in JSON at position 12 (line 2 column 4)")['zh-CN']).toBe('属性值之后应为 "," 或 "}"（第 2 行第 4 列）');
    expect(explainJsonSyntaxError('Something new in JSON at position 3')).toEqual({ en: 'Something new in JSON at position 3', 'zh-CN': '格式有误（第 4 个字符处）' });
  });
});
