/** A visitor sees what they wrote, never the lines the backend added under it for the agent. */
import { describe, expect, it } from 'vitest';
import { ownText } from '../../../server/lookup/replies';

describe("the visitor's own words", () => {
  it('drop the reference block under a reply, whatever line breaks it came back with', () => {
    const sent = 'Here is the photo.\n\n—\nReference: rep_abc123';
    expect(ownText(sent)).toBe('Here is the photo.');
    // Sent as multipart (a reply with files), the text comes back with CRLF breaks.
    expect(ownText(sent.replace(/\n/g, '\r\n'))).toBe('Here is the photo.');
  });

  it('keep a dash line that is the visitor’s own', () => {
    const written = 'Steps:\n\n—\nthen it broke';
    expect(ownText(written)).toBe(written);
  });
});
