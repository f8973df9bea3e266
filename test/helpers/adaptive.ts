/**
 * An adaptive form on the demo account (server/simulator/seed.ts): request types with their own
 * fields, files and case settings, a condition that reveals a required field, routing by answer,
 * hidden values from the page and consent.
 */
export const ADAPTIVE_FORM = {
  id: 'help',
  locales: ['en', 'ru'],
  title: { en: 'Get help', ru: 'Помощь' },
  fields: [
    { key: 'name' },
    { key: 'email' },
    { key: 'subject', required: true },
    { key: 'cf_12', label: { en: 'This is urgent', ru: 'Это срочно' } },
    { key: 'message' },
  ],
  case: { labels: [101], groupId: 44, language: { en: 2, ru: 1 } },
  attachments: { maxFiles: 3 },
  types: {
    options: [
      {
        value: 'order',
        label: { en: 'An order', ru: 'Заказ' },
        title: { en: 'Help with an order', ru: 'Помощь с заказом' },
        fields: [{ key: 'cf_14', label: 'Order date', required: true }],
        case: { groupId: 45, labels: [102], priority: 'high' },
      },
      {
        value: 'bug',
        label: { en: 'Something is broken', ru: 'Что-то сломалось' },
        fields: [{ key: 'cf_6', label: 'Steps to reproduce', required: true }],
        attachments: { maxFiles: 1, types: ['image/png', 'text/plain'] },
        case: { staffId: 1, labels: [103], languageId: 2 },
      },
      {
        value: 'question',
        label: { en: 'A question', ru: 'Вопрос' },
        attachments: false,
        fields: [
          {
            key: 'cf_9',
            label: 'Topic',
            required: true,
            options: [
              { value: '1', label: 'Billing', route: { groupId: 45, labels: [102], priority: 'normal' } },
              { value: '2', label: 'Delivery' },
              { value: '3', label: 'Something else', route: { priority: 'low' } },
            ],
          },
          { key: 'cf_20', label: 'Company size', required: true, showIf: { field: 'cf_9', equals: '1' } },
        ],
      },
    ],
  },
  hidden: [
    { key: 'utm_source', query: 'utm_source', label: 'Campaign', maxLength: 40 },
    { key: 'order', query: 'order', into: 'cf_5' },
  ],
  consent: {
    url: { en: 'https://shop.example/privacy', ru: 'https://shop.example/ru/privacy' },
    version: '2026-01',
  },
  minFillSeconds: 2,
};
