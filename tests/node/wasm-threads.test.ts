import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/node/model-files';

const run = promisify(execFile);

/** Starts the probe in a fresh Node process (the thread pool is fixed when the backend first starts). */
async function probe(threadsEnv?: string): Promise<{ threads: number; sum: number }> {
  const env = { ...process.env, DREAMSTREAM_WASM_THREADS: threadsEnv ?? '' };
  // The timeout also catches a pool thread that keeps the process alive after its work is done.
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'tests/helpers/wasm-threads-probe.ts')], {
    cwd: PROJECT_ROOT,
    env,
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { threads: number; sum: number };
}

describe('wasm threads in Node (patches/@tensorflow+tfjs-backend-wasm)', () => {
  it('uses every core by default, one thread when asked, gives the same result, and exits by itself', async () => {
    const all = await probe();
    const one = await probe('1');
    expect(all.threads).toBe(availableParallelism());
    expect(one.threads).toBe(1);
    expect(Math.abs(all.sum - one.sum) / one.sum).toBeLessThan(1e-6);
  }, 120_000);

  it('rejects a malformed thread count with a message naming the variable', async () => {
    await expect(probe('two')).rejects.toThrow(/DREAMSTREAM_WASM_THREADS must be a whole number/);
  }, 60_000);
});
