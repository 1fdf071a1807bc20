// A Popconfirm's question that the keyboard can answer as well as the mouse.
import { useId, useRef, useState, type KeyboardEvent } from 'react';

/**
 * antd's Popconfirm opens at the end of the page and leaves the focus on its button: a keyboard
 * user Tabbed through the whole page to reach the answer, and Esc was heard on the button only.
 * Spread into a Popconfirm: its confirming button takes the focus each time it opens, Esc or
 * Cancel put it away and give the focus back to the button that asked.
 */
export function useQuestion() {
  const [open, setOpen] = useState(false);
  const okId = useId();
  const asker = useRef<HTMLElement | null>(null);
  const putAway = () => {
    setOpen(false);
    asker.current?.focus();
  };
  const keys = { onKeyDown: (event: KeyboardEvent) => event.key === 'Escape' && putAway() };
  return {
    open,
    onOpenChange: (next: boolean) => {
      if (next) asker.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setOpen(next);
    },
    onCancel: putAway,
    // Once it is shown: autoFocus, at its mounting, is lost while the question is still being placed.
    afterOpenChange: (shown: boolean) => {
      if (shown) document.getElementById(okId)?.focus();
    },
    okButtonProps: { id: okId, ...keys },
    cancelButtonProps: keys,
  };
}
