/** The request type's question and consent's words come in every language the server speaks. */
import { describe, expect, it } from 'vitest';
import { adaptiveWord } from '../../../server/forms/adaptive-words';
import { words } from '../../../server/forms/words';

describe("adaptive forms' words", () => {
  it('are written for every language of the standard words, none left in English', () => {
    const languages = Object.keys(words).filter((l) => l !== 'en');
    expect(languages.length).toBeGreaterThan(10);
    for (const language of languages)
      for (const key of ['requestType', 'consent', 'policy'] as const) {
        const word = adaptiveWord(key, language);
        expect(word, `${language}.${key}`).not.toBe(adaptiveWord(key, 'en'));
        expect(word.trim(), `${language}.${key}`).toBe(word);
      }
    expect(adaptiveWord('policy', 'pt-BR')).toBe('Política de privacidade');
    expect(adaptiveWord('policy', 'xx')).toBe('Privacy policy');
  });
});
