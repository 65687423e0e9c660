/** The last day (YYYY-MM-DD, UTC) of a stats bucket that starts on `start` (YYYY-MM-DD). */
export function bucketEnd(start: string, bucket: 'day' | 'week' | 'month'): string {
  const d = new Date(`${start}T00:00:00Z`);
  if (bucket === 'day') return start;
  if (bucket === 'week') d.setUTCDate(d.getUTCDate() + 6);
  else {
    d.setUTCMonth(d.getUTCMonth() + 1, 1);
    d.setUTCDate(0);
  }
  return d.toISOString().slice(0, 10);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A bucket's column label, with its year: "3 Nov 2025" for a day or the week starting then, "Nov 2025" for a month. */
export function bucketLabel(start: string, bucket: 'day' | 'week' | 'month'): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const month = `${MONTHS[m - 1]} ${y}`;
  return bucket === 'month' ? month : `${d} ${month}`;
}
