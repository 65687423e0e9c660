import { canonicalJson } from '../../src/shared/canonical-json';

type Tables = Map<string, Map<string, Record<string, unknown>>>;

/** Where the live ledger tables and the ones replayed from the audit chain differ, row by row and column by column. */
export function compareColumnByColumn(live: Tables, replayed: Tables) {
  const differences: string[] = [];
  for (const [table, rows] of live) {
    const other = replayed.get(table)!;
    for (const id of new Set([...rows.keys(), ...other.keys()])) {
      const a = rows.get(id);
      const b = other.get(id);
      if (!a || !b) {
        differences.push(`${table} ${id}: ${a ? 'missing from the replay' : 'not in the table'}`);
        continue;
      }
      for (const column of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (canonicalJson(a[column]) !== canonicalJson(b[column])) differences.push(`${table} ${id}.${column}: table ${canonicalJson(a[column])}, replay ${canonicalJson(b[column])}`);
      }
    }
  }
  return differences;
}
