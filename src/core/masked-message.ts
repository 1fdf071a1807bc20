// A care reminder's message as a role that sees personal data masked reads it. The message is
// written whole, to be sent to the customer (and is posted whole to webhooks); such a reader sees
// each value a placeholder wrote into it masked as that value is shown elsewhere, and the plan's
// own words as written.
import { parseTemplate, type Placeholder } from './care.js';
import { maskPersonalDataInText } from './personal-text.js';

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `message`, written from `template`, with the text each placeholder wrote masked by `mask`
 * (which answers the text as is for what it does not mask). The placeholders' texts are found
 * between the template's own words; a message that does not read as its template (never so for
 * one the product wrote) has every phone number, e-mail address and ID card number in it masked.
 */
export function maskMessageValues(template: string, message: string, mask: (placeholder: Placeholder, text: string) => string): string {
  const parsed = parseTemplate(template);
  if ('error' in parsed) return maskPersonalDataInText(message);
  // The message was trimmed once written: so are the template's ends.
  const parts = parsed.parts.map((part, index) => {
    if (typeof part !== 'string') return part;
    let text = part;
    if (index === 0) text = text.trimStart();
    if (index === parsed.parts.length - 1) text = text.trimEnd();
    return text;
  });
  const pattern = new RegExp(`^${parts.map((part) => (typeof part === 'string' ? escaped(part) : '([\\s\\S]*?)')).join('')}$`, 'u');
  const found = pattern.exec(message);
  if (!found) return maskPersonalDataInText(message);
  let group = 1;
  const masked = parts.map((part) => (typeof part === 'string' ? part : mask(part, found[group++] ?? ''))).join('');
  // Two placeholders with nothing between leave it open which wrote which part of the text: what it holds is masked as other text is.
  const adjacent = parts.some((part, index) => typeof part !== 'string' && index > 0 && typeof parts[index - 1] !== 'string');
  return adjacent ? maskPersonalDataInText(masked) : masked;
}
