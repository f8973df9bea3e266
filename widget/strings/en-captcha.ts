/** English words of the captcha challenge, loaded with it (captcha.ts): only a form with one needs them. */
export const enCaptcha = {
  CAPTCHA: 'Please complete the challenge above the Send button.',
  CAPTCHA_FAILED: 'The challenge was not passed. Please complete it again, then send.',
  captchaLoadFailed: 'The challenge could not be loaded. Please check your connection and reload the page.',
};
