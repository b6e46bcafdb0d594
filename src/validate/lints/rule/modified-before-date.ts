import { readText, reportAt, type DocumentLint } from '../../lint.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `rule/modified-before-date` (error): `modified` is earlier than `date`. `date` is when the rule was created
 * and `modified` when it last changed (rules specification v2.1, "Date", "Modified"), so the last change cannot
 * come first. Dates that are not YYYY-MM-DD are left to the schema.
 */
export const modifiedBeforeDateLint: DocumentLint = {
  scope: 'document',
  code: 'rule/modified-before-date',
  severity: 'error',
  summary: 'The modified date is earlier than the creation date.',
  help: 'date is the creation date and modified the date of the last change (both YYYY-MM-DD); modified must not be earlier than date.',
  check(document) {
    const date = readText(document, 'date');
    const modified = readText(document, 'modified');
    if (!date || !modified || !ISO_DATE.test(date) || !ISO_DATE.test(modified)) return [];
    // YYYY-MM-DD strings order like the dates they write.
    if (modified >= date) return [];
    return [reportAt(this, document, ['modified'], `modified (${modified}) is earlier than date (${date}); modified is the date of the last change`)];
  },
};
