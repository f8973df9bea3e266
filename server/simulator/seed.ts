import type { SimSeed } from './state';

/** The demo account: one staff member per credential pair plus settings of every documented kind. */
export function demoSeed(staffEmail = 'demo@example.com'): SimSeed {
  return {
    staff: [
      { staff_id: 1, staff_email: staffEmail, staff_full_name: 'Demo Agent', active: true },
      { staff_id: 2, staff_email: 'former@example.com', staff_full_name: 'Former Agent', active: false },
    ],
    customFields: [
      { field_id: 5, title: 'Order number', field_type: 'text', field_level: 'case', active: true },
      { field_id: 6, title: 'Steps to reproduce', field_type: 'textarea', field_level: 'case', active: true },
      {
        field_id: 9,
        title: 'Topic',
        field_type: 'select',
        field_level: 'case',
        active: true,
        options: { '1': 'Billing', '2': 'Delivery', '3': 'Other' },
      },
      { field_id: 12, title: 'Urgent', field_type: 'checkbox', field_level: 'case', active: true },
      { field_id: 14, title: 'Order date', field_type: 'date', field_level: 'case', active: true },
      { field_id: 20, title: 'Company size', field_type: 'text', field_level: 'user', active: true },
      { field_id: 21, title: 'Legacy field', field_type: 'text', field_level: 'case', active: false },
    ],
    labels: [
      { label_id: 101, label_title: 'web-form' },
      { label_id: 102, label_title: 'billing' },
      { label_id: 103, label_title: 'bug' },
    ],
    languages: [
      { language_id: 1, code: 'RU', title: 'Русский', active: true },
      { language_id: 2, code: 'EN', title: 'English', active: true },
      { language_id: 3, code: 'AR', title: 'العربية', active: true },
    ],
    groups: [
      { group_id: 44, group_title: 'Support', active: true },
      { group_id: 45, group_title: 'Billing', active: true },
    ],
  };
}
