// Preloaded with `node -r`: on exit, writes one JSON line naming the project's
// source files that the process loaded (paths relative to src/).
process.on('exit', () => {
  const loaded = Object.keys(require.cache).filter((f) => f.includes('/src/')).map((f) => f.replace(/.*\/src\//, ''));
  process.stderr.write(`${JSON.stringify({ loadedModules: loaded })}\n`);
});
