import { describe, expect, it } from 'vitest';
import { maskMessageValues } from '../../src/core/masked-message.js';
import { maskPersonalValue } from '../../src/core/personal-text.js';

// Masks what a `{metric:…}` placeholder wrote as a phone number, leaves the rest.
const phoneMetrics = (placeholder: { kind: string }, text: string) => (placeholder.kind === 'metric' ? maskPersonalValue('phone', text) : text);

describe('maskMessageValues', () => {
  it('masks the text each placeholder wrote, between the template\'s own words, whose ends the message lost', () => {
    expect(maskMessageValues('  {name}，请回电 {metric:phone}，谢谢 \n', '张伟，请回电 13912345678，谢谢', phoneMetrics)).toBe('张伟，请回电 139****5678，谢谢');
    // The plan's own words hold a number: they stay as written.
    expect(maskMessageValues('致电 0571-88886666 或 {metric:phone}', '致电 0571-88886666 或 13912345678', phoneMetrics)).toBe('致电 0571-88886666 或 139****5678');
  });

  it('masks what two placeholders with nothing between wrote as other text is, and a message its template does not read', () => {
    expect(maskMessageValues('{metric:phone}{name}', '13912345678张伟', (_placeholder, text) => text)).toBe('139****5678张伟');
    expect(maskMessageValues('{name} 的电话', '另一段文字 13912345678', phoneMetrics)).toBe('另一段文字 139****5678');
  });
});
