/**
 * The answer after sending — the case number or the receipt, what to do next — in a chunk of its
 * own with its words. It is fetched as the visitor reaches for Send (hover, focus) and is here
 * before anything is sent (submit.ts): a request is never received without the words to say so.
 */
export { DoneView } from './components/DoneView';
export { enDone as en } from './strings/en-done';
