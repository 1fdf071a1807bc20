// Closing a form that holds what was typed, on purpose: Esc, the × or Cancel ask before discarding it.
import { App } from 'antd';
import { useSession } from './useSession';

/**
 * A dialog's form closes at once while nothing was typed in it, by Esc as by the × or Cancel;
 * once something was, closing asks first, and keeping it returns to the form as it was. (Esc
 * meant for an open list closes the list only: antd's select keeps that key to itself.)
 */
export function useGuardedClose(typed: () => boolean, close: () => void): () => void {
  const { modal } = App.useApp();
  const { t } = useSession();
  return () => {
    if (!typed()) return close();
    modal.confirm({ title: t('common.discardTitle'), content: t('common.discardBody'), okText: t('common.discard'), okButtonProps: { danger: true }, cancelText: t('common.keepEditing'), onOk: close });
  };
}
