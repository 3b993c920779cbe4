import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CanvasRecorder } from '../../src/components/app/recorder';

/** A MediaRecorder stand-in whose data events the test fires by hand, as the browser would, late ones included. */
class FakeRecorder {
  static made: FakeRecorder[] = [];
  state: 'inactive' | 'recording' = 'inactive';
  ondataavailable: ((e: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  constructor(readonly stream: unknown) {
    FakeRecorder.made.push(this);
  }
  static isTypeSupported(): boolean {
    return true;
  }
  start(): void {
    this.state = 'recording';
  }
  stop(): void {
    this.state = 'inactive';
  }
  deliver(bytes: number): void {
    this.ondataavailable?.({ data: new Blob([new Uint8Array(bytes)]) });
  }
}

const canvas = () => ({ captureStream: () => ({}) }) as unknown as HTMLCanvasElement;

describe('CanvasRecorder segments', () => {
  beforeEach(() => {
    FakeRecorder.made = [];
    vi.stubGlobal('MediaRecorder', FakeRecorder);
    vi.stubGlobal('URL', { createObjectURL: () => 'blob:fake' });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('a restart onto a new canvas keeps both segments whole, even when the old one delivers its last chunk late', () => {
    const rec = new CanvasRecorder(() => {});
    rec.start(canvas(), 'video/webm');
    const [first] = FakeRecorder.made;
    first!.deliver(1000);
    rec.continueOn(canvas());
    const second = FakeRecorder.made[1]!;
    second.deliver(300);
    // The browser hands over the stopped recorder's final chunk after the new segment has begun.
    first!.deliver(500);
    first!.onstop!();
    expect(rec.finished.map((r) => r.blob.size)).toEqual([1500]);
    expect(rec.bytes).toBe(300);
    second.deliver(200);
    rec.stop();
    second.onstop!();
    expect(rec.finished.map((r) => r.blob.size)).toEqual([1500, 500]);
    expect(rec.recording).toBe(false);
  });

  it('a segment that received nothing leaves no empty file', () => {
    const rec = new CanvasRecorder(() => {});
    rec.start(canvas(), 'video/webm');
    rec.stop();
    FakeRecorder.made[0]!.onstop!();
    expect(rec.finished).toHaveLength(0);
  });
});
