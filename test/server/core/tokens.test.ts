/** Tokens already handed out keep working: the signature of a claim never changes with the code. */
import { describe, expect, it } from 'vitest';
import { createTokens } from '../../../server/core/tokens';

const tokens = createTokens('a-secret-of-at-least-thirty-two-characters');
/** A lookup token as this secret signed it before its key was kept hashed between tokens. */
const ISSUED_EARLIER =
  'eyJjIjo3LCJuIjoiMTAwLTciLCJmIjoic3VwcG9ydCIsInIiOiJyX2FiYyJ9.DKOwXGoz_h_bqUjmQjpThyAbcxgGAcGSltQZd3Op2Qc';
const claim = { formId: 'support', receipt: 'r_abc', case: { id: 7, number: '100-7' } };

describe('tokens', () => {
  it('reads a token issued earlier, and signs its claim the same way again', () => {
    expect(tokens.lookup.read(ISSUED_EARLIER)).toEqual(claim);
    expect(tokens.lookup.issue(claim)).toBe(ISSUED_EARLIER);
  });

  it('refuses one signed with another secret, altered, or of another kind; signs each one alike', () => {
    const other = createTokens('another-secret-of-thirty-two-characters!');
    expect(other.lookup.read(ISSUED_EARLIER)).toBeUndefined();
    expect(tokens.lookup.read(`${ISSUED_EARLIER.slice(0, -1)}A`)).toBeUndefined();
    expect(tokens.form.read(ISSUED_EARLIER)).toBeUndefined();
    // Many tokens from one kept key: each still verifies (the key's state is copied, never used up).
    const forms = Array.from({ length: 5 }, (_, i) => tokens.form.issue({ formId: 'support', issuedAt: i }));
    expect(forms.map((t) => tokens.form.read(t)?.issuedAt)).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives every form token its own nonce, past the end of a pool of random bytes', () => {
    const issued = Array.from({ length: 2_000 }, () => tokens.form.issue({ formId: 'support', issuedAt: 1 }));
    expect(new Set(issued).size).toBe(issued.length);
  });
});
