/**
 * A host page's layout shift as the browser itself reports it (PerformanceObserver, `layout-shift`
 * entries) and as Lighthouse sums it into CLS: shifts within half a second of the visitor's input
 * are theirs and not counted. Used by the browser tests and by the benchmark.
 */
import type { BrowserContext, Page } from 'playwright-core';

export interface Shift {
  value: number;
  /** Within half a second of the visitor's input: not counted. */
  input: boolean;
  /**
   * What moved: tag, and its top before and after. An element in a shadow root (the widget's own)
   * is not named to the page: `-`.
   */
  moved: string[];
}

/** A page (of `context`) that notes every layout shift from its start, before the page's own scripts run. */
export async function shiftWatchedPage(context: BrowserContext, width = 1000, height = 1400) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  await page.addInitScript(() => {
    const shifts: Shift[] = [];
    Object.assign(window, { shifts });
    type Entry = PerformanceEntry & {
      value: number;
      hadRecentInput: boolean;
      sources: { node?: Node; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[];
    };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Entry[])
        shifts.push({
          value: e.value,
          input: e.hadRecentInput,
          moved: e.sources.map((s) => `${s.node?.nodeName ?? '-'} ${s.previousRect.y}→${s.currentRect.y}`),
        });
    }).observe({ type: 'layout-shift', buffered: true });
  });
  return page;
}

/**
 * The page's layout shifts so far, counted or not; their sum as the CLS metric counts it; and the
 * counted ones that moved the page's own content (not only the widget's, inside its box).
 */
export async function layoutShift(page: Page) {
  const shifts = await page.evaluate(() => (window as unknown as { shifts: Shift[] }).shifts);
  const counted = shifts.filter((s) => !s.input);
  return {
    shifts,
    cls: counted.reduce((sum, s) => sum + s.value, 0),
    pageMoved: counted.filter((s) => s.moved.some((m) => !m.startsWith('-'))),
  };
}
