import { csvCell, csvRow } from '../../src/modules/reports/csv';
import { escapeHtml, html, raw } from '../../src/modules/reports/html';

describe('CSV cells (RFC 4180, safe in spreadsheets)', () => {
  it('leaves plain text alone', () => {
    expect(csvCell('Türkiye says so')).toBe('Türkiye says so');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('quotes cells holding commas, quotes or line breaks, doubling the quotes', () => {
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('he said "no"')).toBe('"he said ""no"""');
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
    expect(csvCell('crlf\r\nhere')).toBe('"crlf\r\nhere"');
  });

  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1 555', "'+1 555"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tindented', "'\tindented"],
  ])('prefixes a formula-like cell %j with a single quote', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });

  it('prefixes and quotes a formula-like cell that also needs quoting', () => {
    expect(csvCell('=HYPERLINK("http://x","click")')).toBe(`"'=HYPERLINK(""http://x"",""click"")"`);
    expect(csvCell('\rhidden')).toBe(`"'\rhidden"`);
  });

  it('does not prefix a formula character that is not first', () => {
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('ends each record with CRLF', () => {
    expect(csvRow(['a', 'b,c', null, 3])).toBe('a,"b,c",,3\r\n');
  });
});

describe('HTML escaping', () => {
  it('escapes the five special characters', () => {
    expect(escapeHtml(`<script>alert("x" & 'y')</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
  });

  it('escapes interpolated values but not markup marked raw', () => {
    expect(html`<p>${'<b>'}</p>${raw('<hr>')}`).toBe('<p>&lt;b&gt;</p><hr>');
  });
});
