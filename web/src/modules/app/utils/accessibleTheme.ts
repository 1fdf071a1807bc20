// The console's colours, readable by everyone: antd's defaults set much of its text below the
// 4.5:1 contrast WCAG asks of text (secondary text 3.4:1, links and primary buttons 4.1:1, red
// buttons 3.3:1, a green tag's text 2.2:1), which readers with low vision could not make out.
// Each is moved to a darker shade of antd's own palette, so the console looks as it did.
import type { ThemeConfig } from 'antd';

/** antd's blue-7: 6.2:1 on white, and white on it. antd's blue-6 (#1677ff) was 4.1:1. */
const PRIMARY = '#0958d9';

/**
 * Under the pointer a link or a primary button lightens, as antd's do: to 4.8:1 on white (and white on
 * it) rather than antd's shade derived from PRIMARY (#2e7ae6, 4.2:1), which a button left under the
 * pointer (where a click opened a drawer over it) showed below 4.5:1.
 */
const PRIMARY_HOVER = '#1f6fe0';

/** Secondary text (descriptions, a statistic's title, a field's hint): 5.7:1 on white, 5.3:1 on the grey of a table's header. */
const SECONDARY_TEXT = 'rgba(0, 0, 0, 0.6)';

/** A field's placeholder and an empty table's words: 4.7:1 on white, still lighter than what is typed. */
const PLACEHOLDER_TEXT = 'rgba(0, 0, 0, 0.55)';

/**
 * A preset tag's text on its pale background is the palette's 7th shade: for these colours it is too
 * light (a gold tag's 2.8:1), so it is the first darker shade of the same colour that reads at 4.5:1.
 * Red, blue, geekblue, purple and magenta read well as they are.
 */
const TAG_TEXT = {
  volcano7: '#ad2102',
  orange7: '#ad4e00',
  gold7: '#874d00',
  yellow7: '#876800',
  lime7: '#3f6600',
  green7: '#237804',
  cyan7: '#006d75',
} as const;

/** The theme's tokens that set the contrast of text; the caller adds its own (motion, sizes). */
export const ACCESSIBLE_TOKENS = {
  colorPrimary: PRIMARY,
  colorInfo: PRIMARY,
  colorLink: PRIMARY,
  colorPrimaryHover: PRIMARY_HOVER,
  colorLinkHover: PRIMARY_HOVER,
  // antd's red-7: a danger button's or an error's text, 5.6:1 on white (red-6 was 3.3:1).
  colorError: '#cf1322',
  colorSuccessText: TAG_TEXT.green7,
  colorWarningText: TAG_TEXT.gold7,
  colorTextTertiary: SECONDARY_TEXT,
  colorTextDescription: SECONDARY_TEXT,
  colorTextPlaceholder: PLACEHOLDER_TEXT,
} satisfies ThemeConfig['token'];

/** Components whose text takes other tokens than the page's text does. */
export const ACCESSIBLE_COMPONENTS = {
  // A status tag writes in the status's colour itself (success, warning) on its pale background.
  Tag: { ...TAG_TEXT, colorSuccess: TAG_TEXT.green7, colorWarning: TAG_TEXT.gold7 },
  // An empty table says so in the colour of a disabled control (1.8:1): in the placeholder's here.
  Table: { colorTextDisabled: PLACEHOLDER_TEXT },
} satisfies ThemeConfig['components'];

/**
 * The text colour that reads on a chip of a colour of the operator's choosing (`#rrggbb`): antd
 * writes white on every such colour, which a light one (a yellow, a pale green) leaves unreadable.
 * White where it reads at 4.5:1, else antd's near-black text; undefined for a preset's name, which
 * the theme already sees to.
 */
export function readableTextOn(background: string): string | undefined {
  const hex = /^#([0-9a-f]{6})$/i.exec(background)?.[1];
  if (hex === undefined) return undefined;
  const channel = (at: number) => {
    const value = parseInt(hex.slice(at, at + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
  return 1.05 / (luminance + 0.05) >= 4.5 ? '#ffffff' : 'rgba(0, 0, 0, 0.88)';
}
