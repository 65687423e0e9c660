/** The dedicated benchmark database on the local PostgreSQL. */
export const BENCH_URL_DEFAULT = 'postgresql://postgres@127.0.0.1:5432/cp_bench';
