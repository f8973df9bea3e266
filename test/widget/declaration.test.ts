/**
 * The published declaration (dist/deskie-form.d.ts, from widget/deskie-form.d.ts) describes the
 * API the loader really installs: typecheck holds the loader's object to it, and the build ships it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeskieForm, DeskieFormEvents } from '../../widget/deskie-form';
import type { DeskieFormApi } from '../../widget/loader';
import { buildWidget } from '../bench/widget';

// Compile-time: the loader installs every method the declaration promises and no other, with the
// same signatures (init and on are typed more loosely inside, where options and details are checked
// at run time); an event's detail is typed for the page.
type Same<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : false;
const sameMembers: Same<keyof DeskieForm, keyof DeskieFormApi> = true;
const published = (api: DeskieFormApi): Omit<DeskieForm, 'init' | 'on'> => api;
// A request type and values filled in as the dialog opens; the form alone, as before.
const openOrder = (df: DeskieForm) => {
  df.open({ type: 'order', prefill: { subject: 'Order 1042' } });
  df.open('support');
};
const caseOf = (detail: DeskieFormEvents['submitted']) =>
  detail.status === 'created' ? detail.caseNumber : detail.receipt;

describe('published declaration', () => {
  it('is written into dist/ beside the loader, with window.DeskieForm typed', async () => {
    const built = await buildWidget();
    const file = join(built.outDir, 'deskie-form.d.ts');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(readFileSync('widget/deskie-form.d.ts', 'utf8'))).toBe(true);
    expect(text).toMatch(/interface Window \{\s+DeskieForm\?: DeskieForm;/);
    expect(sameMembers && typeof published && typeof openOrder).toBe('function');
    expect(caseOf({ form: 'support', status: 'queued', receipt: 'sub_1' })).toBe('sub_1');
  });
});
