/**
 * Group commit's shape: calls that arrive while a batch is being written wait and go together in the
 * next one, at most `maxItems` at a time. There is no timer: a lone call goes at once, and under
 * load the window is exactly as long as the previous write took — so it is bounded by that write,
 * and a batch grows only when writes are what the callers are waiting for.
 */

/** Writes `items` at once; returns one result per item, in order (or throws for them all). */
export type BatchWriter<T, R> = (items: T[]) => Promise<R[]>;

/** A function that queues one item for `write` and resolves with its result. */
export function createBatcher<T, R>(write: BatchWriter<T, R>, maxItems: number): (item: T) => Promise<R> {
  let waiting: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxItems);
      waiting = waiting.slice(batch.length);
      try {
        const results = await write(batch.map((w) => w.item));
        batch.forEach((w, i) => {
          w.resolve(results[i] as R);
        });
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    writing = false;
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!writing) void drain();
    });
}
