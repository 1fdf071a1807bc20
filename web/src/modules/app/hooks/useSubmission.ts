// A form's call to the server: busy while it runs, and the server's refusal, in its own words, when it fails.
import { useCallback, useState } from 'react';
import { errorText } from '../utils/api';

/** `refused`, when given, says a refusal itself (a save against a version changed since) and answers true; the rest are shown as `problem`. */
export function useSubmission<T>(onDone: (answer: T) => void, refused?: (error: unknown) => boolean) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const submit = useCallback(
    async (call: () => Promise<T>) => {
      setBusy(true);
      setProblem(undefined);
      try {
        onDone(await call());
      } catch (error) {
        if (!refused?.(error)) setProblem(errorText(error));
        setBusy(false);
      }
    },
    [onDone, refused],
  );
  return { busy, problem, submit };
}
