import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/node/model-files';
import { FIXTURES } from '../helpers/engine';

const run = promisify(execFile);

async function render(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/render.ts'), ...args], { cwd: PROJECT_ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const lines = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const out = mkdtempSync(join(tmpdir(), 'render-'));
const cat = join(FIXTURES, 'cat-128.png');

describe('render CLI', () => {
  it('dream: one JSON line per step, then a summary, and a PNG', async () => {
    const output = join(out, 'dream.png');
    const r = await render(['dream', '--input', cat, '--output', output, '--size', '80', '--steps', '3', '--octaves', '1', '--layers', 'mixed3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = lines(r.stdout);
    expect(rows.slice(0, 3).map((x) => x.step)).toEqual([0, 1, 2]);
    expect(typeof rows[0]!.loss).toBe('number');
    expect(rows[3]).toMatchObject({ done: true, backend: 'wasm' });
    expect(rows[3]!.ms_per_step as number).toBeGreaterThan(0);
    expect(existsSync(output)).toBe(true);
  });

  it('style: raw content, style and tv losses per iteration', async () => {
    const output = join(out, 'style.png');
    const r = await render(['style', '--content', cat, '--style', join(FIXTURES, 'brick-128.jpg'), '--output', output, '--size', '80', '--iterations', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = lines(r.stdout);
    expect(Object.keys(rows[0]!).sort()).toEqual(['content', 'loss', 'step', 'style', 'tv']);
    expect(rows[3]).toMatchObject({ done: true });
    expect(existsSync(output)).toBe(true);
  });

  it('zoom: a numbered PNG sequence', async () => {
    const dir = join(out, 'zoom');
    const r = await render(['zoom', '--input', cat, '--output-dir', dir, '--frames', '3', '--size', '80', '--steps', '1', '--zoom', '1.05', '--rotate', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['frame_00000.png', 'frame_00001.png', 'frame_00002.png']);
  });

  it('bad input files and parameters exit non-zero with a one-line message', async () => {
    const cases: [string[], RegExp][] = [
      [['dream', '--input', join(FIXTURES, 'missing.png'), '--output', join(out, 'x.png')], /missing\.png: no such file/],
      [['dream', '--input', join(FIXTURES, 'notes.txt'), '--output', join(out, 'x.png')], /not a PNG or JPEG image/],
      [['dream', '--input', join(FIXTURES, 'not-an-image.png'), '--output', join(out, 'x.png')], /corrupt or unsupported image/],
      [['dream', '--input', cat, '--output', join(out, 'x.png'), '--step-size', '9'], /stepSize must be .*from 0\.0001 to 1 \(got 9\)/],
      [['dream', '--input', cat, '--output', join(out, 'x.png'), '--size', '20'], /--size must be an integer from 75/],
      [['dream', '--output', join(out, 'x.png')], /--input is required/],
      [['paint'], /unknown command "paint"/],
    ];
    for (const [args, message] of cases) {
      const r = await render(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      const first = r.stderr.trim().split('\n')[0]!;
      expect(first).toMatch(/^render: /);
      expect(first).toMatch(message);
    }
  });
});
