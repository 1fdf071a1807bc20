// A form's call to the server: busy while it runs, and the server's refusal, in its own words, when it fails.
import { useCallback, useState } from 'react';
import { errorText } from '../utils/api';

export function useSubmission<T>(onDone: (answer: T) => void) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const submit = useCallback(
    async (call: () => Promise<T>) => {
      setBusy(true);
      setProblem(undefined);
      try {
        onDone(await call());
      } catch (error) {
        setProblem(errorText(error));
        setBusy(false);
      }
    },
    [onDone],
  );
  return { busy, problem, submit };
}
