/** English words of an adaptive form's own parts, loaded with them (adaptive.ts), not with the form. */
export const enAdaptive = {
  /** Said (politely, focus stays put) when an answer makes more fields appear. */
  fieldsAdded: 'Added to the form: {fields}.',
};
