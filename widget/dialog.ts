/**
 * The launcher's panel — a native modal <dialog> around the form — with its styles, in a chunk of
 * its own: an inline form never downloads it. boot() (app.tsx) fetches it while the form's
 * definition is on its way, so a launcher waits for it no longer than for the form itself.
 */
export { Dialog } from './components/Dialog';
export { default as css } from './dialog.css?inline';
