/** English words of the lookup and status views, loaded with them (lookup.ts), not with the form. */
export const enLookup = {
  newRequest: 'New request',
  mine: 'Sent from this browser',
  mineItem: 'Request {number}, sent {date}',
  caseNumber: 'Request number',
  email: 'Email',
  looking: 'Checking…',
  statusTitle: 'Request {number}',
  statusQueued: 'Request {number} (being filed)',
  received: 'Sent {date}',
  updated: 'Last update {date}',
  replies: 'Replies from support',
  noReplies: 'No replies yet.',
  back: 'Back',
  NOT_FOUND: 'We found no request with that number and email.',
};
