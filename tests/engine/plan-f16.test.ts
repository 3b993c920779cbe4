/**
 * The dream step's f16 plan (engine/plan/precision.ts: f16 storage, f16 products summed in f32) against f32 (tfjs
 * ops on wasm, which the f32 plan matches within 1e-6: plan.test.ts), on a device that has shader-f16: Mesa's
 * lavapipe here (SwiftShader has no f16), in a child process of its own, since a process holds one Dawn instance on
 * one driver. scripts/gpu-bench/half-check.ts does the work and prints what it found.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ModelRunner } from '../../src/engine/model/runner';
import { planKernels } from '../../src/engine/plan/gpu-plan';
import { planGraph } from '../../src/engine/plan/graph';
import { gradientScale } from '../../src/engine/plan/precision';
import { planKeyString, type HalfPrecision, type PlanKey } from '../../src/engine/plan/types';
import { dreamPlanKey, planKeyFor } from '../../src/engine/plan/dream-plan-step';
import { dreamParams } from '../../src/engine/params/dream';
import { useNodeBackend } from '../../src/node/backend';
import { loadArtifactsFromDisk, PROJECT_ROOT } from '../../src/node/model-files';
import { lavapipeEnv } from '../helpers/lavapipe';

const run = promisify(execFile);

interface HalfCheck {
  adapter: string;
  shaderF16: boolean;
  precision: string;
  path: string;
  loss: Array<{ f32: number; f16: number; rel: number }>;
  gradient: Array<{ cos: number; rel: number }>;
  /** Per step, the f16 step against the f32 step from the same picture: relative difference. */
  step: number[];
  gradientScale: number;
  bytes: { f16: number };
  steadyStep: { dispatches: number; creations: number; writeBuffer: number; submit: number };
  dispatches: number;
  errors: string[];
}

describe('the layout of an f16 plan', () => {
  it('stores the network in f16 and keeps the picture, its gradient, the loss and the step in f32', async () => {
    await useNodeBackend('wasm');
    const runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk(), 'fast');
    const { nodes, targets } = runner.graph(['mixed3']);
    const g = planGraph(nodes, targets, 299, 299);
    const key: PlanKey = { layers: ['mixed3'], channel: -1, objective: 'l2', normalise: 'std', height: 299, width: 299 };
    const f32 = planKernels(g, key);
    const f16 = planKernels(g, { ...key, precision: 'f16' });
    const stored = planKernels(g, { ...key, precision: 'f16-storage' });
    expect(f16.map((k) => k.kernel.label)).toEqual(f32.map((k) => k.kernel.label));
    expect(stored.map((k) => k.kernel.label)).toEqual(f32.map((k) => k.kernel.label));
    expect(f32.filter((k) => k.kernel.code.includes('f16'))).toEqual([]);
    // Every convolution of the f16 plan holds its panels as f16 and sums its f16 dot products in f32; with f16
    // storage only, the panels and products stay f32; nothing else changes between the two.
    const convs = f16.filter((k) => k.kernel.label.startsWith('conv'));
    expect(convs.length).toBeGreaterThan(20);
    for (const { kernel } of convs) {
      expect(kernel.code, kernel.label).toContain('var<workgroup> As: array<array<vec4<f16>');
      expect(kernel.code, kernel.label).toMatch(/c0_0 \+= f32\(dot\(a0, b0\)\);/);
    }
    stored.forEach(({ kernel }, i) => {
      expect(kernel.code, kernel.label).not.toContain('vec4<f16>');
      if (!kernel.label.startsWith('conv')) expect(kernel.code, kernel.label).toBe(f16[i]!.kernel.code);
    });
    for (const { kernel, part } of f16) {
      // The network's kernels read and write f16; the tail reads the picture's gradient and writes the picture.
      expect(kernel.code.startsWith('enable f16;'), kernel.label).toBe(part !== 'tail');
      if (part === 'tail') expect(kernel.code, kernel.label).not.toContain('f16');
    }
    // The first convolution reads the picture as f32 and writes its output as f16.
    const first = f16[0]!.kernel.code;
    expect(first).toMatch(/var<storage, read> X: array<f32>;/);
    expect(first).toMatch(/var<storage, read_write> O0: array<f16>;/);
    // mixed3 at 299 px: 17·17·768 elements, so the objective's gradient is written 2^18 times larger.
    expect(gradientScale(g, { ...key, precision: 'f16' })).toBe(2 ** 18);
    expect(gradientScale(g, key)).toBe(1);
    runner.dispose();
  });
});

describe("the app's dream step key on an f16 device", () => {
  it('asks for the f16 plan, and for the f32 plan once the f16 one has failed to build (not for tfjs ops)', () => {
    const failed = new Set<string>();
    const planner = { precision: 'f16' as HalfPrecision, failure: (k: PlanKey) => (failed.has(planKeyString(k)) ? 'plan build failed: f16 unsupported' : undefined) };
    const p = dreamParams({ layers: [{ name: 'mixed3', weight: 1 }, { name: 'mixed5', weight: 0.3 }] });
    const f32 = planKeyFor(p, 224, 224) as PlanKey;
    expect(dreamPlanKey(planner, p, 224, 224)).toEqual({ ...f32, precision: 'f16' });
    planner.precision = 'f16-storage';
    expect(dreamPlanKey(planner, p, 224, 224)).toEqual({ ...f32, precision: 'f16-storage' });
    failed.add(planKeyString({ ...f32, precision: 'f16-storage' }));
    expect(dreamPlanKey(planner, p, 224, 224)).toEqual(f32);
    // Another size has its own f16 plan, and a step that needs tfjs ops still says why.
    expect(dreamPlanKey(planner, p, 256, 256)).toEqual({ ...planKeyFor(p, 256, 256) as PlanKey, precision: 'f16-storage' });
    expect(dreamPlanKey(planner, p, 60, 60)).toBe('picture below the model minimum');
  });
});

describe('the dream step in f16', () => {
  it('gives the loss of f32 within 1%, its gradient aligned and its step within 10%, at each of three steps, making nothing per step', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts/gpu-bench/half-check.ts'), '75', 'mixed0', '3', '--against', 'wasm'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...lavapipeEnv(), DREAMSTREAM_SWIFTSHADER: '0' },
      maxBuffer: 1 << 24,
    }).catch((e: { stderr?: string; message: string }) => {
      // Its last lines say what failed (a wasm backend's start prints its whole script before those).
      throw new Error(`half-check failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-4).join(' | ').slice(-800)}`);
    });
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as HalfCheck;
    console.log(`f16 plan on ${r.adapter}: loss rel ${r.loss.map((l) => l.rel.toExponential(1)).join(', ')}; gradient cos ${r.gradient.map((g) => g.cos.toFixed(4)).join(', ')}; steps ${r.step.map((d) => `${(100 * d).toFixed(1)}%`).join(', ')} apart; plan ${r.bytes.f16} bytes`);
    expect(r.shaderF16, r.adapter).toBe(true);
    // What the app's step takes on such a device: f16 products too.
    expect(r.precision).toBe('f16');
    // ...and what the overlay's path row then says.
    expect(r.path).toBe('plan · f16');
    expect(r.errors).toEqual([]);
    expect(r.loss).toHaveLength(3);
    for (const l of r.loss) expect(l.rel).toBeLessThan(0.01);
    // Each step from the same picture as f32's (two trajectories left to run apart soon differ in detail, whatever
    // the cause: the sheet in docs/dream shows that).
    for (const g of r.gradient) expect(g.cos).toBeGreaterThan(0.995);
    for (const d of r.step) expect(d).toBeLessThan(0.1);
    // The objective's gradient was scaled up by 2^14, so it does not sink below f16's range (mixed0 at 75 px: 7·7·256 elements).
    expect(r.gradientScale).toBe(2 ** 14);
    expect(r.steadyStep).toMatchObject({ dispatches: r.dispatches, creations: 0, writeBuffer: 1, submit: 1 });
  });
});
