/** English words of the answer after sending, loaded with it (done.ts), before anything is sent. */
export const enDone = {
  thanks: 'Thank you — we received your request',
  createdBody: 'Your request number is {number}. We will reply by email.',
  queuedBody: 'It will reach our help desk shortly. Its reference is {number}.',
  keptNote: 'This browser keeps it under “Check a request”.',
  another: 'Send another request',
};
