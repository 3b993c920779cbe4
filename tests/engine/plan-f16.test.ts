/**
 * The dream step's plan with f16 storage (engine/plan/precision.ts) against the f32 plan, on a device that has
 * shader-f16: Mesa's lavapipe here (SwiftShader has no f16), in a child process of its own, since a process holds
 * one Dawn instance on one driver. scripts/gpu-bench/half-check.ts does the work and prints what it found.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/node/model-files';
import { lavapipeEnv } from '../helpers/lavapipe';

const run = promisify(execFile);

interface HalfCheck {
  adapter: string;
  shaderF16: boolean;
  loss: Array<{ f32: number; f16: number; rel: number }>;
  gradient: Array<{ cos: number; rel: number }>;
  pictureChange: number;
  gradientScale: number;
  bytes: { f32: number; f16: number };
  steadyStep: { dispatches: number; creations: number; writeBuffer: number; submit: number };
  dispatches: number;
  errors: string[];
}

describe('the dream step in f16 storage', () => {
  it('keeps the loss within 1% of the f32 plan over three steps, the gradient aligned, in 56% of the memory, making nothing per step', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts/gpu-bench/half-check.ts'), '75', 'mixed0', '3'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...lavapipeEnv(), DREAMSTREAM_SWIFTSHADER: '0' },
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as HalfCheck;
    console.log(`f16 plan on ${r.adapter}: loss rel ${r.loss.map((l) => l.rel.toExponential(1)).join(', ')}; gradient cos ${r.gradient.map((g) => g.cos.toFixed(4)).join(', ')}; pictures ${(100 * r.pictureChange).toFixed(1)}% apart; ${r.bytes.f16} of ${r.bytes.f32} bytes`);
    expect(r.shaderF16, r.adapter).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.loss).toHaveLength(3);
    for (const l of r.loss) expect(l.rel).toBeLessThan(0.01);
    // The first step reads the same picture in both; later ones read pictures f16's earlier steps moved a little.
    expect(r.gradient[0]!.cos).toBeGreaterThan(0.999);
    for (const g of r.gradient) expect(g.cos).toBeGreaterThan(0.99);
    expect(r.pictureChange).toBeLessThan(0.1);
    // The objective's gradient was scaled up by 2^14, so it does not sink below f16's range (mixed0 at 75 px: 7·7·256 elements).
    expect(r.gradientScale).toBe(2 ** 14);
    expect(r.bytes.f16).toBeLessThan(0.6 * r.bytes.f32);
    expect(r.steadyStep).toMatchObject({ dispatches: r.dispatches, creations: 0, writeBuffer: 1, submit: 1 });
  });
});
