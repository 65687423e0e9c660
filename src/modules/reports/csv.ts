/*
 * CSV as RFC 4180 has it: fields separated by commas, records by CRLF, a
 * field quoted when it holds a comma, a quote or a line break, and quotes
 * inside doubled. A field a spreadsheet would read as a formula (starting
 * with = + - @, a tab or a carriage return) is prefixed with a single quote,
 * so a quote from a source cannot run code on the desk that opens the file.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | boolean | null | undefined;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
