// Exports are POSTs or need the workspace header, so a plain link cannot fetch them: the
// console fetches the file and hands the browser a blob, named as the server names it: without the
// marks that set the direction of text (src/core/file-name.ts).
import { downloadFileName } from '../../../../../src/core/file-name';

export async function downloadResponse(response: Response, fallbackName: string): Promise<void> {
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = downloadFileName(fallbackName);
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
