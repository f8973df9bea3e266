import { describe, expect, it } from 'vitest';
import { caseSchema, labelSchema, parseList } from '../../../server/deskie/schemas';

describe('parseList', () => {
  it('reads numeric keys in numeric order, whatever the key order in the JSON', () => {
    const body = JSON.parse(
      '{"10":{"label":{"label_id":11,"label_title":"k"}},"2":{"label":{"label_id":3,"label_title":"c"}},"total_count":30}',
    );
    expect(parseList(body, 'label', labelSchema)).toEqual({
      items: [
        { label_id: 3, label_title: 'c' },
        { label_id: 11, label_title: 'k' },
      ],
      totalCount: 30,
    });
  });

  it.each([
    ['{"case":[]} (2016)', { case: [] }],
    ['{"total_count":0}', { total_count: 0 }],
  ])('reads an empty page in the shape %s as no items', (_, body) => {
    expect(parseList(body, 'case', caseSchema)).toEqual({ items: [], totalCount: 0 });
  });

  it('throws on an item missing a field we rely on', () => {
    expect(() =>
      parseList({ '0': { label: { label_id: 1 } }, total_count: 1 }, 'label', labelSchema),
    ).toThrow();
    expect(() => parseList('nope', 'label', labelSchema)).toThrow();
  });

  it('keeps working when Deskie adds fields', () => {
    const body = { '0': { label: { label_id: 1, label_title: 'x', color: 'red' } }, total_count: 1 };
    expect(parseList(body, 'label', labelSchema).items).toEqual([{ label_id: 1, label_title: 'x' }]);
  });
});
