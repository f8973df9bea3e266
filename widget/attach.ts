/**
 * Attaching files — checking them against the form's policy, listing them, their upload progress —
 * in a chunk of its own with its words and styles: a visitor who attaches nothing never downloads
 * it. attachments.ts fetches it when the visitor reaches for "Attach files", drags over the form
 * or pastes a file.
 */
export { default as css } from './attach.css?inline';
export { FileList } from './components/FileList';
export { createFiles } from './files';
export { enFiles as en } from './strings/en-files';
