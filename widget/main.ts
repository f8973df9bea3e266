/**
 * Script-tag entry of the widget. The form itself arrives with the widget issue; until then the
 * bundle only claims the one global it will own, so the build and the size budget have a target.
 */
declare global {
  interface Window {
    DeskieForm?: { version: string };
  }
}

if (typeof window !== 'undefined' && !window.DeskieForm) window.DeskieForm = { version: '0.1.0' };

export {};
