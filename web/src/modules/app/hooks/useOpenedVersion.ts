// The version of one resource a form opened, read on its own for its ETag (lists carry none), which
// the save sends back in If-Match: a save over a change someone else made since is refused (412),
// said beside the form with a reload, and never retried by itself.
import { App } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { changedSince, errorText, REFUSED_AS_CHANGED, type Tagged } from '../utils/api';
import { useApi } from './useApi';

/** The ETag of what the form opened, or `stale`: it changed between the list and the form opening. */
interface Basis {
  etag: string | undefined;
  stale: boolean;
}

interface Options {
  /** How a reload the server did not answer is said; a passing message unless the form says it beside itself. */
  onReloadFailed?: (error: unknown) => void;
}

/**
 * `path` is read once as the form opens (none: a form that makes something new), and read again by
 * its reload at whatever it is then (a key renamed by a save that stopped part way); `definitionOf`
 * says what of it the form edits, so that a version that differs only elsewhere (a webhook's
 * deliveries, a tag's customers) keeps what was typed when reloaded.
 */
export function useOpenedVersion<T>(path: string | undefined, opened: T | undefined, definitionOf: (resource: T) => string, options: Options = {}) {
  const api = useApi();
  const { message } = App.useApp();
  const basis = useRef<Promise<Basis>>(Promise.resolve({ etag: undefined, stale: false }));
  // The version the form stands on: the one listed, then the one last reloaded or left by its own save.
  const [current, setCurrent] = useState(opened);
  const [conflict, setConflict] = useState(false);
  const [reloading, setReloading] = useState(false);
  // Once, as the form opens; a resource that cannot be read now is saved as before, unconditionally.
  useEffect(() => {
    if (path === undefined || opened === undefined) return;
    basis.current = api.read<T>(path).then(
      (read) => {
        const stale = definitionOf(read.body) !== definitionOf(opened);
        if (stale) setConflict(true);
        return { etag: read.etag, stale };
      },
      () => ({ etag: undefined, stale: false }),
    );
  }, []);
  /** The ETag for the save's If-Match; a version already known to be changed is refused here, as the server would. */
  const ifMatch = async () => {
    setConflict(false);
    const { etag, stale } = await basis.current;
    if (stale) throw REFUSED_AS_CHANGED;
    return etag;
  };
  /** Takes a save's refusal as changed since (412) into the alert; true when it did. */
  const refused = useCallback((error: unknown) => {
    if (!changedSince(error)) return false;
    setConflict(true);
    return true;
  }, []);
  /**
   * The version the form's own save left, read after it: a save of several calls that stopped part
   * way is saved again from it, its own changes no longer taken for someone else's.
   */
  const adopt = (read: Tagged<T>) => {
    basis.current = Promise.resolve({ etag: read.etag, stale: false });
    setCurrent(read.body);
  };
  /** The version as it is now; `onChanged` with it only when what the form edits changed, so that otherwise what was typed stays. */
  const reload = async (onChanged: (now: T) => void) => {
    if (path === undefined || current === undefined) return;
    setReloading(true);
    try {
      const read = await api.read<T>(path);
      if (definitionOf(read.body) !== definitionOf(current)) onChanged(read.body);
      adopt(read);
      setConflict(false);
    } catch (error) {
      if (options.onReloadFailed) options.onReloadFailed(error);
      else message.error(errorText(error));
    } finally {
      setReloading(false);
    }
  };
  return { current, conflict, reloading, ifMatch, refused, adopt, reload };
}
