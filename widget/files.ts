/**
 * The files a visitor attaches: checked against the form's policy before anything is uploaded
 * (count, size of each, total, type), and their upload progress while the request is sent.
 */
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import type { PublicForm } from '../server/contract';
import type { Translate } from './strings';

const sizeOf = (files: readonly File[]) => files.reduce((sum, f) => sum + f.size, 0);

export function createFiles(form: ReadonlySignal<PublicForm | undefined>, t: ReadonlySignal<Translate>) {
  const list = signal<File[]>([]);
  /** Why the last files offered were not all taken, in the visitor's words. */
  const problem = signal<string | undefined>(undefined);
  /** Bytes of the request body uploaded so far, and its size; undefined when not sending. */
  const progress = signal<{ loaded: number; total: number } | undefined>(undefined);

  return {
    list,
    problem,
    progress,
    /** Bytes of every file chosen. */
    total: computed(() => sizeOf(list.value)),

    /** Takes the files the policy allows (picker, drop or paste); explains the first it refuses. */
    add(offered: Iterable<File>) {
      const policy = form.value?.attachments;
      if (!policy) return;
      const next = [...list.value];
      let why: string | undefined;
      for (const file of offered) {
        const name = file.name;
        if (next.length >= policy.maxFiles) {
          why = t.value('TOO_MANY_FILES', { count: policy.maxFiles });
          break;
        }
        if (file.size > policy.maxFileBytes)
          why = t.value('FILE_TOO_LARGE', { name, size: t.value.size(policy.maxFileBytes) });
        // A type the browser cannot name is left for the server, which reads the content anyway.
        else if (file.type && !policy.accept.includes(file.type)) why = t.value('FILE_TYPE', { name });
        else if (sizeOf(next) + file.size > policy.maxTotalBytes)
          why = t.value('FILES_TOO_LARGE', { size: t.value.size(policy.maxTotalBytes) });
        else next.push(file);
      }
      list.value = next;
      problem.value = why;
    },

    remove(index: number) {
      list.value = list.value.filter((_, i) => i !== index);
      problem.value = undefined;
    },

    clear() {
      list.value = [];
      problem.value = undefined;
    },

    /** XHR upload progress: bytes sent of the whole body (undefined: not sending). */
    uploaded(loaded?: number, total?: number) {
      progress.value = loaded === undefined ? undefined : { loaded, total: total ?? loaded };
    },

    /**
     * How much of file `index` is uploaded, 0–1. The files are the body's last parts in order,
     * so the bytes before them (the JSON payload, part headers) are counted off first.
     */
    share(index: number): number | undefined {
      const p = progress.value;
      const files = list.value;
      const file = files[index];
      if (!p || !file) return undefined;
      const before = p.total - sizeOf(files) + sizeOf(files.slice(0, index));
      if (file.size === 0) return p.loaded >= before ? 1 : 0;
      return Math.min(1, Math.max(0, (p.loaded - before) / file.size));
    },
  };
}

export type Files = ReturnType<typeof createFiles>;
