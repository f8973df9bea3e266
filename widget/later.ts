/**
 * A chunk of the widget fetched when the visitor reaches for what it holds (lookup.ts, attach.ts):
 * once — never twice at a time, again after a failure — its words and styles joining the widget's
 * as it comes.
 */
import { batch, type ReadonlySignal, type Signal, signal } from '@preact/signals';
import { asError, type WidgetError } from './api';
import { describe } from './failures';
import type { Hooks } from './state';
import type { Strings, Translate } from './strings';

/** What a lazy chunk shares with the rest of one widget's state (state.ts). */
export interface LaterContext {
  hooks: Hooks;
  t: ReadonlySignal<Translate>;
  /** The English words under every locale's: each chunk adds its own. */
  english: Signal<Partial<Strings>>;
  /** Shows a failure, says it, and tells the page. */
  fail(failure: WidgetError, text: string): void;
}

/** Fetches a chunk with `load` when wanted; `make` turns it into this widget's part of it. */
export function later<C extends { en: Partial<Strings>; css?: string }, P>(
  ctx: LaterContext,
  load: () => Promise<C>,
  make: (chunk: C) => P,
) {
  /** This widget's part of the chunk, once it is here. */
  const ready = signal<P | undefined>(undefined);
  let loading: Promise<void> | undefined;
  const fetch = () =>
    (loading ??= load().then(
      (chunk) => {
        if (chunk.css) ctx.hooks.style?.(chunk.css);
        batch(() => {
          ctx.english.value = { ...ctx.english.value, ...chunk.en };
          ready.value ??= make(chunk);
        });
      },
      (e: unknown) => {
        loading = undefined;
        throw e;
      },
    ));
  return {
    ready,
    /** Fetches the chunk now, failing as it fails (a form that cannot be shown without it). */
    load: fetch,
    /** The visitor reaches for it (hover, focus, a drag): fetch the chunk now, show nothing yet. */
    prefetch() {
      fetch().catch(() => {});
    },
    /** Runs `act` once the chunk is here; tells the visitor when it cannot come. */
    async with(act: (part: P) => unknown) {
      try {
        await fetch();
        if (ready.value) await act(ready.value);
      } catch (e) {
        const failure = asError(e);
        ctx.fail(failure, describe(failure, ctx.t.value));
      }
    },
  };
}
