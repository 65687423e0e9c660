const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Tagged template: every interpolated value is escaped; `raw()` marks markup built here. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, s, i) => {
    const v = i < values.length ? values[i] : '';
    return out + s + (v instanceof Raw ? v.markup : Array.isArray(v) ? v.map((x) => (x instanceof Raw ? x.markup : escapeHtml(x))).join('') : escapeHtml(v));
  }, '');
}

class Raw {
  constructor(readonly markup: string) {}
}
export const raw = (markup: string) => new Raw(markup);

/** The opening of a printable report page, with its title and a small print stylesheet. */
export function pageStart(title: string): string {
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>
body{font:13px/1.4 system-ui,sans-serif;margin:2em;color:#111}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eee}code{font-size:11px;word-break:break-all}section{break-inside:avoid;margin-bottom:1.5em}
pre{white-space:pre-wrap;word-break:break-all;font-size:11px}thead{display:table-header-group}tr{break-inside:avoid}
@page{margin:12mm}
@media print{body{margin:0;font-size:10px}a{color:inherit}}
</style></head><body>
<h1>${title}</h1>
`;
}

export const PAGE_END = '</body></html>\n';
