/**
 * The inline form's room on the host page. A browser counts a layout shift against the page (its
 * Core Web Vitals, its ranking) whenever something the visitor sees moves without the visitor
 * having just acted — and an inline form that grew or shrank with its content (errors, files,
 * the answer) would move everything below it. So once the form is shown the host keeps its
 * height, and what does not fit scrolls inside it; it takes its content's height only when that
 * moves nothing a visitor sees: just after their own press of a pointer or a key, or when the box
 * ends below the window's bottom edge.
 *
 * Before the form is shown only the page can hold its room. Whatever the widget could reserve
 * comes with its script, and Chromium paints the page first whenever that script is not at hand
 * at once — even without `async` (measured) — so the reservation would move what is below as much
 * as the form itself does. Instead the page is told how tall the form is, once, when its element's
 * min-height is less.
 */

/** Holds `host` at its height while `content` changes; returns what stops it. */
export function holdBox(host: HTMLElement, content: HTMLElement, form: string) {
  let acted = Number.NEGATIVE_INFINITY;
  let shown = false;
  const pin = () => host.style.setProperty('--df-h', `${content.offsetHeight}px`);
  const settle = () => {
    // Nothing below the box is in view, before or after: nothing the visitor sees moves.
    const unseen =
      host.getBoundingClientRect().top + Math.min(host.offsetHeight, content.offsetHeight) >= innerHeight;
    // Shifts within half a second of the visitor's input are theirs, not the page's.
    if (unseen || performance.now() - acted < 400) pin();
  };
  const observer = new ResizeObserver(() => {
    if (!shown) {
      // Until the form is here (loading, or a form that failed to load) the box is as it was.
      if (!content.querySelector('.df-send')) return;
      shown = true;
      // The first sight of the form: the box takes its height, and a page that gave it less
      // room (it moved as the form arrived) hears how much to give.
      const height = content.offsetHeight;
      pin();
      const target = host.parentElement;
      if (target && (Number.parseFloat(getComputedStyle(target).minHeight) || 0) < height)
        console.info(
          `[deskie-form] The form "${form}" is ${height}px tall here. A min-height of that on its element keeps the page from moving as it loads (docs/widget.md).`,
        );
    }
    settle();
  });
  observer.observe(content);
  const act = () => {
    acted = performance.now();
  };
  // Where the browser's own count starts: a press, not the click that follows it. The box takes
  // its height when the press ends, not as it starts: a box that changed under the pointer would
  // move the button being pressed away before the pointer comes up, and swallow the click.
  host.addEventListener('pointerdown', act);
  host.addEventListener('pointerup', settle);
  host.addEventListener('keydown', () => {
    act();
    settle();
  });
  return () => observer.disconnect();
}
