import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CanvasRecorder, recordingTypeLabel } from '../../src/components/media/recorder';

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

describe('recording format labels', () => {
  it('name the container and the codec in plain words, so the menu never shows the same entry twice', () => {
    const types = ['video/mp4;codecs=avc1', 'video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];
    expect(types.map(recordingTypeLabel)).toEqual(['MP4 (H.264)', 'WebM (VP9)', 'WebM (VP8)', 'WebM (browser default codec)']);
  });

  it('read profiles, quoted and audio codecs, and unknown names', () => {
    expect(recordingTypeLabel('video/mp4; codecs="avc1.42E01E, mp4a.40.2"')).toBe('MP4 (H.264, AAC)');
    expect(recordingTypeLabel('video/webm;codecs=vp09.00.10.08,opus')).toBe('WebM (VP9, Opus)');
    expect(recordingTypeLabel('video/webm;codecs=av01')).toBe('WebM (AV1)');
    expect(recordingTypeLabel('video/webm;codecs=xyz')).toBe('WebM (xyz)');
    expect(recordingTypeLabel('video/quicktime')).toBe('QUICKTIME (browser default codec)');
  });
});
