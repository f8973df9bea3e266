/**
 * Attaching files, on intent. "Attach files", its help and the form as a drop and paste target
 * are in the form's chunk; checking files against the policy, listing them and their upload
 * progress (files.ts, the file list) are a chunk of their own (attach.ts), fetched when the
 * visitor reaches for them — hover or focus of "Attach files", a drag over the form — or with the
 * first file dropped or pasted, which waits for it. Until then no file is chosen.
 */
import { computed, type ReadonlySignal } from '@preact/signals';
import type { PublicForm } from '../server/contract';
import { type LaterContext, later } from './later';

export function createAttachments(ctx: LaterContext & { form: ReadonlySignal<PublicForm | undefined> }) {
  const chunk = later(
    ctx,
    () => import('./attach'),
    (attach) => ({ FileList: attach.FileList, files: attach.createFiles(ctx.form, ctx.t) }),
  );
  const files = () => chunk.ready.value?.files;
  return {
    /** The file list and this widget's files, once the chunk is here. */
    attached: chunk.ready,
    /** The files chosen so far. */
    list: computed(() => files()?.list.value ?? []),
    prefetch: chunk.prefetch,
    /** Takes the files the policy allows (picker, drop or paste), once the chunk is here. */
    add(offered: Iterable<File>) {
      // Taken now: a drop's or a paste's files are gone once its event is over.
      const chosen = [...offered];
      return chunk.with((part) => part.files.add(chosen));
    },
    /** XHR upload progress: bytes sent of the whole body (none: not sending). */
    uploaded: (loaded?: number, total?: number) => files()?.uploaded(loaded, total),
    clear: () => files()?.clear(),
  };
}

export type Attachments = ReturnType<typeof createAttachments>;
