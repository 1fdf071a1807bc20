// Sends a file to `POST /imports/{kind}` and keeps the answer.
import { useState } from 'react';
import { useApi } from '../../app/hooks/useApi';
import { errorText } from '../../app/utils/api';
import type { ImportKind } from '../utils/importColumns';

export interface ImportResultJson {
  rows: number;
  accepted: number;
  rejected: number;
  rejections: { line: number; code: string; reason: string }[];
}

export function useImport() {
  const api = useApi();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ImportResultJson>();
  const [error, setError] = useState<string>();
  const run = async (kind: ImportKind, text: string, columns: Record<string, string>) => {
    setRunning(true);
    setResult(undefined);
    setError(undefined);
    try {
      setResult(await api.post<ImportResultJson>(`/imports/${kind}`, { text, format: 'csv', columns }));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setRunning(false);
    }
  };
  const reset = () => {
    setResult(undefined);
    setError(undefined);
  };
  return { running, result, error, run, reset };
}
