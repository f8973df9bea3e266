/**
 * What only an adaptive form needs — request types, conditional fields, hidden values, consent:
 * the rules as the visitor answers (adapt.ts), the type choice and the consent checkbox, their
 * words and styles. A chunk of its own, fetched with such a form's definition (state.ts): the
 * visitor of a plain form never downloads it.
 */
export { createAdaptive } from './adapt';
export { default as css } from './adaptive.css?inline';
export { Bottom, Top } from './components/Adaptive';
export { enAdaptive as en } from './strings/en-adaptive';
