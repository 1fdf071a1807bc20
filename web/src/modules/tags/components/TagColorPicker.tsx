import { ColorPicker } from 'antd';
import { useRef, useState, type KeyboardEvent } from 'react';

/**
 * Ant Design's colour picker, reachable from the keyboard: its swatch is a plain `div` that only
 * a click opens, so here it is a named button in the tab order that Enter or Space opens and
 * closes and Escape closes, the focus back on it. The panel opens right after it in the page, so
 * Tab goes on into the panel's own controls (the hex field among them) before the next field.
 */
export function TagColorPicker({ label, color, disabled, onChange, testId }: { label: string; color: string | null; disabled: boolean; onChange: (color: string | null) => void; testId: string }) {
  const [open, setOpen] = useState(false);
  const place = useRef<HTMLSpanElement>(null);
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
            onKeyDown={(event) => {
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
