// Where the focus was when a dialog opened, given back when the dialog goes.
import { useEffect } from 'react';
import { focusable } from '../utils/focus';

/**
 * antd's dialogs and drawers give the focus back to what opened them at the end of their closing
 * animation; one rendered only while open is gone before that, and the focus fell to the page's
 * top, sending a keyboard user back past the menu. Called by such a dialog: when it goes, the
 * focus returns to what had it when the dialog came, unless something else has taken it since.
 */
export function useFocusReturn(): void {
  useEffect(() => {
    let opener: HTMLElement | undefined;
    const note = () => {
      if (focusable(document.activeElement)) opener = document.activeElement;
    };
    note();
    // A dialog that follows another (a token made, then shown once) comes while the focus is
    // nowhere; the one before gives it back first, with the same kind of timer, queued before this.
    const later = opener ? undefined : setTimeout(note);
    return () => {
      clearTimeout(later);
      // After the dialog's nodes have left the page, with the focus in them.
      setTimeout(() => {
        if (opener?.isConnected && !focusable(document.activeElement)) opener.focus({ preventScroll: true });
      });
    };
  }, []);
}
