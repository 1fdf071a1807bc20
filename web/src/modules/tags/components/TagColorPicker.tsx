import { ColorPicker } from 'antd';
import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useSession } from '../../app/hooks/useSession';
import type { MessageKey } from '../../app/utils/messages';

/**
 * The panel's controls by what they are for, in the panel's order: antd names none of them (its
 * number fields' arrows only in English), and takes no names for them, so they are named once drawn.
 * A list names the controls it matches one by one; the red, green and blue fields, or the hue,
 * saturation and brightness ones, are there in place of the hex field as the format chosen says.
 */
const PANEL_NAMES: readonly (readonly [string, readonly MessageKey[]])[] = [
  ['.ant-color-picker-slider-group [role="slider"]', ['tags.colorHue', 'tags.colorAlpha']],
  ['.ant-color-picker-format-select [role="combobox"]', ['tags.colorFormat']],
  ['.ant-color-picker-hex-input input', ['tags.colorHex']],
  ['.ant-color-picker-rgb-input input', ['tags.colorRed', 'tags.colorGreen', 'tags.colorBlue']],
  ['.ant-color-picker-hsb-input input', ['tags.colorHueDegrees', 'tags.colorSaturation', 'tags.colorBrightness']],
  ['.ant-color-picker-alpha-input input', ['tags.colorAlphaPercent']],
  ['.ant-color-picker-clear', ['tags.colorClear']],
];

/**
 * Ant Design's colour picker, reachable from the keyboard: its swatch is a plain `div` that only
 * a click opens, so here it is a named button in the tab order that Enter or Space opens and
 * closes and Escape closes, the focus back on it. The panel opens right after it in the page, so
 * Tab goes on into the panel's own controls (the hex field among them) before the next field,
 * each named for a screen reader; the clearing swatch among them, a button as the trigger is.
 */
export function TagColorPicker({ label, color, disabled, onChange, testId }: { label: string; color: string | null; disabled: boolean; onChange: (color: string | null) => void; testId: string }) {
  const { t } = useSession();
  const [open, setOpen] = useState(false);
  const place = useRef<HTMLSpanElement>(null);
  // The panel is drawn on its first opening, perhaps after the picker's own rendering: kept as state, to be named once it is there.
  const [inner, setInner] = useState<HTMLDivElement | null>(null);
  // Named once drawn, and again when another format puts other fields in the panel.
  useLayoutEffect(() => {
    if (!inner) return;
    const name = () => {
      for (const [selector, keys] of PANEL_NAMES)
        inner.querySelectorAll<HTMLElement>(selector).forEach((control, at) => {
          const key = keys[at];
          if (key && control.getAttribute('aria-label') !== t(key)) control.setAttribute('aria-label', t(key));
        });
      inner.querySelectorAll('.ant-input-number-handler-up').forEach((arrow) => arrow.setAttribute('aria-label', t('common.increase')));
      inner.querySelectorAll('.ant-input-number-handler-down').forEach((arrow) => arrow.setAttribute('aria-label', t('common.decrease')));
      const clear = inner.querySelector<HTMLElement>('.ant-color-picker-clear');
      if (clear && clear.getAttribute('role') !== 'button') {
        clear.setAttribute('role', 'button');
        clear.tabIndex = 0;
      }
    };
    name();
    const observer = new MutationObserver(name);
    observer.observe(inner, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [inner, t]);
  const trigger = () => place.current?.querySelector<HTMLElement>('.ant-color-picker-trigger') ?? null;
  const close = () => {
    setOpen(false);
    trigger()?.focus();
  };
  // Typed as the trigger receives them (antd passes them to it), which its props do not declare.
  const keyboard = {
    role: 'button',
    tabIndex: disabled ? -1 : 0,
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => {
      if (event.target !== event.currentTarget || disabled) return;
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        setOpen((was) => !was);
      } else if (event.key === 'Escape' && open) {
        // The panel's, not the editor's: the drawer stays open.
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    },
  };
  return (
    <span ref={place} style={{ display: 'inline-block' }}>
      <ColorPicker
        {...keyboard}
        aria-label={label}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-disabled={disabled || undefined}
        data-testid={testId}
        disabled={disabled}
        allowClear
        open={open}
        onOpenChange={setOpen}
        getPopupContainer={() => place.current ?? document.body}
        // Escape anywhere in the panel closes it, as it would a menu.
        panelRender={(panel) => (
          <div
            ref={setInner}
            role="group"
            aria-label={label}
            onKeyDown={(event) => {
              // The clearing swatch is antd's plain div, which only a click clears with.
              if ((event.key === 'Enter' || event.key === ' ') && event.target instanceof HTMLElement && event.target.classList.contains('ant-color-picker-clear')) {
                event.preventDefault();
                event.target.click();
                return;
              }
              if (event.key !== 'Escape') return;
              event.stopPropagation();
              close();
            }}
          >
            {panel}
          </div>
        )}
        value={color ?? undefined}
        onChange={(picked) => onChange(picked.cleared ? null : picked.toHexString())}
        onClear={() => onChange(null)}
      />
    </span>
  );
}
