import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { webDigests } from '../../../server/core/hash';
import { createTokens } from '../../../server/core/tokens';
import { nodeDigests } from '../../../server/runtimes/node-digests';

const SECRET = 'a-signing-secret-of-at-least-32-characters';

describe("Node's digests", () => {
  it('hash and sign exactly as the portable ones do', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.string(),
        (key, data, text) => {
          expect(Buffer.from(nodeDigests.hmacSha256(key)(data))).toEqual(
            Buffer.from(webDigests.hmacSha256(key)(data)),
          );
          expect(nodeDigests.sha256Hex(data)).toBe(webDigests.sha256Hex(data));
          expect(nodeDigests.sha256Hex(text)).toBe(webDigests.sha256Hex(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("read each other's tokens: a Worker and a Node instance of one deployment agree", () => {
    const node = createTokens(SECRET, nodeDigests);
    const web = createTokens(SECRET, webDigests);
    const claim = { formId: 'support', issuedAt: 1_800_000_000_000 };
    expect(web.form.read(node.form.issue(claim))).toEqual(claim);
    expect(node.form.read(web.form.issue(claim))).toEqual(claim);
    expect(createTokens(`${SECRET}!`, nodeDigests).form.read(web.form.issue(claim))).toBeUndefined();
  });
});
