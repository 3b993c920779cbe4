/**
 * The headless renderer: stills (dream, style) and frame-exact zoom sequences from the same engine sessions the
 * app streams with. Run with `npm run render -- <command> ...`; `--json` prints one JSON object per line.
 *
 * This entry checks the flags before anything heavy loads: a mistyped flag is answered in a fraction of a second,
 * not after tfjs, the model and the wasm backend have started (run.ts is imported only for a command that runs).
 */
import { parseCli, UsageError } from './args';
import { USAGE } from './usage';

/** Errors from deep inside (tfjs, Dawn, fs) can run to several lines; one is enough to say what went wrong. */
function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message || e.name : String(e);
  return text.split('\n').find((line) => line.trim())?.trim() ?? 'failed';
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0) {
    console.error(USAGE);
    return 2;
  }
  try {
    const args = parseCli(argv);
    if (args === 'help') {
      console.log(USAGE);
      return 0;
    }
    const { runCommand } = await import('./run');
    await runCommand(args);
    return 0;
  } catch (e) {
    console.error(`render: ${oneLine(e)}`);
    return e instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
