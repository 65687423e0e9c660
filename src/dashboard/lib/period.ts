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
