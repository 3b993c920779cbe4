/** A bad command line: one line on stderr and exit code 2 (anything else that fails exits 1). */
export class UsageError extends Error {
  override name = 'UsageError';
}
