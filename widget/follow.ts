/**
 * The way to the lookup chunk (lookup.ts: lookups, the status view and their words). It is fetched
 * when the visitor reaches for it — hover or focus of "Check a request" or "Check status" — and
 * never on page load: a visitor who only files a request never downloads it.
 */
import type { Signal } from '@preact/signals';
import type { Api } from './api';
import { type LaterContext, later } from './later';
import type { StatusRequest } from './lookup';
import type { WidgetOptions } from './options';
import type { View } from './state';

/** What the lookup chunk shares with the rest of one widget's state. */
export type FollowContext = LaterContext & {
  options: WidgetOptions;
  api: Api;
  view: Signal<View>;
};

export function createFollow(ctx: FollowContext) {
  const lookup = later(
    ctx,
    () => import('./lookup'),
    (views) => ({ views, lookup: views.createLookup(ctx) }),
  );
  // A signed-in customer: the chunk comes at once, to check their identity and fill the form.
  if (ctx.options.userToken) lookup.prefetch();
  return {
    /** The lookup chunk, once here: its views, and this widget's lookup state. */
    later: lookup.ready,
    prefetch: lookup.prefetch,
    /** "Check a request": this browser's requests and the lookup by case number + email. */
    showLookup: () => lookup.with((part) => part.lookup.show()),
    /** One request's status, by its lookup token or by case number + email. */
    checkStatus: (request: StatusRequest) => lookup.with((part) => part.lookup.check(request)),
  };
}
