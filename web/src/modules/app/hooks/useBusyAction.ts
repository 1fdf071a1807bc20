// A button's call to the server: busy while it runs, and the server's refusal, in its own words, as a message when it fails.
import { App } from 'antd';
import { useCallback, useState } from 'react';
import { errorText } from '../utils/api';

export function useBusyAction() {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const act = useCallback(
    async (run: () => Promise<void>) => {
      setBusy(true);
      try {
        await run();
      } catch (error) {
        message.error(errorText(error));
      } finally {
        setBusy(false);
      }
    },
    [message],
  );
  return { busy, act };
}
