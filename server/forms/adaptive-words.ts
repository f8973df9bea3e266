/**
 * The server's own words for the parts of adaptive forms, per language (as words.ts for the
 * standard fields): the request type's question, and consent's label and link. A form's config
 * overrides each (`types.label`, `consent.label`, `consent.linkText`).
 */
type AdaptiveWords = Record<'requestType' | 'consent' | 'policy', string>;

const adaptiveWords: Record<string, AdaptiveWords> = {
  en: {
    requestType: 'What is it about?',
    consent: 'I agree that my data is used to answer this request.',
    policy: 'Privacy policy',
  },
  ru: {
    requestType: 'С чем связано обращение?',
    consent: 'Я даю согласие на использование моих данных для ответа на это обращение.',
    policy: 'Политика конфиденциальности',
  },
  ar: {
    requestType: 'بماذا يتعلق طلبك؟',
    consent: 'أوافق على استخدام بياناتي للرد على هذا الطلب.',
    policy: 'سياسة الخصوصية',
  },
  he: {
    requestType: 'במה מדובר?',
    consent: 'אני מאשר/ת שימוש בנתונים שלי לצורך מענה על פנייה זו.',
    policy: 'מדיניות פרטיות',
  },
  fa: {
    requestType: 'موضوع درخواست شما چیست؟',
    consent: 'موافقم که از اطلاعاتم برای پاسخ به این درخواست استفاده شود.',
    policy: 'سیاست حفظ حریم خصوصی',
  },
  de: {
    requestType: 'Worum geht es?',
    consent: 'Ich bin einverstanden, dass meine Daten zur Beantwortung dieser Anfrage verwendet werden.',
    policy: 'Datenschutzerklärung',
  },
  fr: {
    requestType: 'De quoi s’agit-il\u00a0?',
    consent: 'J’accepte que mes données soient utilisées pour répondre à cette demande.',
    policy: 'Politique de confidentialité',
  },
  es: {
    requestType: '¿De qué se trata?',
    consent: 'Acepto que mis datos se utilicen para responder a esta solicitud.',
    policy: 'Política de privacidad',
  },
  pt: {
    requestType: 'Sobre o que é?',
    consent: 'Concordo que meus dados sejam usados para responder a esta solicitação.',
    policy: 'Política de privacidade',
  },
  it: {
    requestType: 'Di cosa si tratta?',
    consent: 'Acconsento all’uso dei miei dati per rispondere a questa richiesta.',
    policy: 'Informativa sulla privacy',
  },
  pl: {
    requestType: 'Czego dotyczy zgłoszenie?',
    consent: 'Wyrażam zgodę na wykorzystanie moich danych w celu odpowiedzi na to zgłoszenie.',
    policy: 'Polityka prywatności',
  },
  uk: {
    requestType: 'Чого стосується звернення?',
    consent: 'Я погоджуюся, що мої дані буде використано для відповіді на це звернення.',
    policy: 'Політика конфіденційності',
  },
  tr: {
    requestType: 'Konu nedir?',
    consent: 'Verilerimin bu talebe yanıt vermek için kullanılmasını kabul ediyorum.',
    policy: 'Gizlilik politikası',
  },
  zh: {
    requestType: '您的问题属于哪一类？',
    consent: '我同意使用我的数据来答复此请求。',
    policy: '隐私政策',
  },
  ja: {
    requestType: 'ご用件の種類をお選びください',
    consent: 'このお問い合わせへの回答のために、私のデータが使用されることに同意します。',
    policy: 'プライバシーポリシー',
  },
};

/** One of these words in `locale`'s language, else English. */
export const adaptiveWord = (key: keyof AdaptiveWords, locale: string): string =>
  (adaptiveWords[locale.toLowerCase().split('-')[0] ?? ''] ?? adaptiveWords.en)?.[key] ?? key;
