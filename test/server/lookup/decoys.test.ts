/** Decoys are told from real receipts by their mark alone: on any instance with the secret, on none without it. */
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../../server/core/clock';
import { createDecoys } from '../../../server/core/decoys';
import { newSubmissionId } from '../../../server/intake/idempotency';
import { manualClock } from '../../helpers/backend';

const SECRET = 'decoy-secret-decoy-secret-decoy-secret';

describe('decoys', () => {
  it('are recognised by another instance with the secret, which answers from the token alone', () => {
    const clock = manualClock();
    const here = createDecoys(SECRET, clock, createSeededRandom(1));
    const elsewhere = createDecoys(SECRET, clock, createSeededRandom(2));
    const decoy = here.make('support', 'Cheap pills', 'Bot@Example.com');
    expect(decoy.receipt).toMatch(/^sub_[a-z2-7]{20}$/);
    // Dated as a real receipt made at the same moment is: its head does not give it away.
    expect(decoy.receipt.slice(0, 13)).toBe(newSubmissionId(clock.now()).slice(0, 13));
    expect(elsewhere.isDecoy(decoy.receipt)).toBe(true);
    expect(createDecoys(`${SECRET}-other`, clock, createSeededRandom(3)).isDecoy(decoy.receipt)).toBe(false);
    const kase = { id: decoy.caseId, number: decoy.caseNumber };
    expect(here.recall(decoy.receipt, 'support', kase)).toEqual(decoy);
    expect(elsewhere.recall(decoy.receipt, 'support', kase)).toMatchObject({
      caseNumber: decoy.caseNumber,
      subject: '',
    });
    expect(here.byNumber(decoy.caseNumber, 'bot@example.com ')).toEqual(decoy);
    expect(here.byNumber(decoy.caseNumber, 'someone@example.com')).toBeUndefined();
    // A day on, what the bot wrote is forgotten; the decoy still answers from its token.
    clock.advance(24 * 3600_000);
    expect(here.byNumber(decoy.caseNumber, 'bot@example.com')).toBeUndefined();
    expect(here.recall(decoy.receipt, 'support', kase).subject).toBe('');
  });

  it('never take a real receipt for one, and are numbered after the newest real case', () => {
    const decoys = createDecoys(SECRET, manualClock(), createSeededRandom(4));
    const receipts = Array.from({ length: 10_000 }, (_, i) => newSubmissionId(Date.UTC(2026, 11, 1) + i));
    expect(receipts.filter((r) => decoys.isDecoy(r))).toEqual([]);
    decoys.noteCase(4_321);
    const { caseId } = decoys.make('support', 'x', 'a@example.com');
    expect(caseId).toBeGreaterThan(4_321);
    expect(caseId).toBeLessThanOrEqual(4_324);
  });
});
