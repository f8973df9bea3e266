/**
 * Browser storage that may be missing or refuse (private mode, sandboxed frames, a full quota):
 * then nothing is kept and the widget still works.
 */

export function store(kind: 'localStorage' | 'sessionStorage') {
  const area = () => {
    try {
      return window[kind];
    } catch {
      return undefined;
    }
  };
  return {
    read<T>(key: string): T | undefined {
      try {
        const text = area()?.getItem(key);
        return text ? (JSON.parse(text) as T) : undefined;
      } catch {
        return undefined;
      }
    },
    write(key: string, value: unknown) {
      try {
        if (value === undefined) area()?.removeItem(key);
        else area()?.setItem(key, JSON.stringify(value));
      } catch {
        // Refused: the form still works, it just does not remember.
      }
    },
  };
}

/** What this browser keeps of a filed request for "Your requests": never what was written. */
export interface KeptRequest {
  caseNumber?: string;
  receipt?: string;
  lookupToken: string;
  at: string;
}

/** The requests filed from this browser for one form, newest first (at most 20). */
export function keptRequests(form: string) {
  const key = `deskie-form:${form}:requests`;
  const local = store('localStorage');
  const list = () => local.read<KeptRequest[]>(key) ?? [];
  return {
    list,
    add: (kept: KeptRequest) => local.write(key, [kept, ...list()].slice(0, 20)),
    /** Writes the list back, changed (lookup.ts notes case numbers in it). */
    save: (all: KeptRequest[]) => local.write(key, all),
  };
}
