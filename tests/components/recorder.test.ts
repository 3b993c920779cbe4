import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CanvasRecorder, encodableSize, fitRects, recordingSize, recordingTypeLabel, type Fit, type Size } from '../../src/components/media/recorder';

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

/** A stage canvas as the page has it: the working size, and its displayed size (CSS px). */
const canvas = (width = 128, height = 96, clientWidth = 640, clientHeight = 400) => ({ width, height, clientWidth, clientHeight }) as unknown as HTMLCanvasElement;

/** The fixed-size frames each segment was given: the canvas drawn from, the size and the fit. */
const pumps: { canvas: HTMLCanvasElement; size: Size; fit: Fit; stopped: boolean }[] = [];
const frames = (c: HTMLCanvasElement, size: Size, fit: Fit) => {
  const p = { canvas: c, size, fit, stopped: false };
  pumps.push(p);
  return { stream: {} as MediaStream, stop: () => void (p.stopped = true) };
};

describe('CanvasRecorder segments', () => {
  beforeEach(() => {
    FakeRecorder.made = [];
    pumps.length = 0;
    vi.stubGlobal('MediaRecorder', FakeRecorder);
    vi.stubGlobal('URL', { createObjectURL: () => 'blob:fake' });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('a restart onto a new canvas keeps both segments whole, even when the old one delivers its last chunk late', async () => {
    const rec = new CanvasRecorder(() => {}, frames);
    await rec.start(canvas(), 'video/webm');
    const [first] = FakeRecorder.made;
    first!.deliver(1000);
    await rec.continueOn(canvas(80, 60, 320, 200));
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
    // Both segments are one recording's size: the stage's displayed size when it started, not the new canvas's.
    expect(rec.finished.map((r) => [r.width, r.height])).toEqual([[640, 400], [640, 400]]);
    expect(pumps.map((p) => [p.size.width, p.size.height])).toEqual([[640, 400], [640, 400]]);
    expect(pumps.every((p) => p.stopped)).toBe(true);
  });

  it("records at the stage's displayed size from the first frame to the last, whatever the working size does", async () => {
    const rec = new CanvasRecorder(() => {}, frames);
    const stage = canvas(128, 96, 700, 437);
    await rec.start(stage, 'video/mp4;codecs=avc1');
    expect(rec.size).toEqual({ width: 700, height: 438 });
    // The worker resizes its canvas: the recording's size does not follow.
    Object.assign(stage, { width: 224, height: 168 });
    expect(rec.size).toEqual({ width: 700, height: 438 });
    expect(FakeRecorder.made).toHaveLength(1);
    expect(pumps[0]!.canvas).toBe(stage);
  });

  it('a second start while one is under way, and a stop before it has begun, start nothing', async () => {
    const rec = new CanvasRecorder(() => {}, frames);
    const a = rec.start(canvas(), 'video/webm');
    const b = rec.start(canvas(), 'video/webm');
    expect(rec.recording).toBe(true);
    await Promise.all([a, b]);
    expect(FakeRecorder.made).toHaveLength(1);
    rec.stop();
    const c = rec.start(canvas(), 'video/webm');
    rec.stop();
    await c;
    expect(FakeRecorder.made).toHaveLength(1);
    expect(rec.recording).toBe(false);
  });

  it('a format the encoder refuses is a one-line error: nothing recording, the scaled frames stopped, earlier files kept', async () => {
    const rec = new CanvasRecorder(() => {}, frames);
    await rec.start(canvas(), 'video/webm');
    FakeRecorder.made[0]!.deliver(700);
    rec.stop();
    FakeRecorder.made[0]!.onstop!();
    vi.stubGlobal('MediaRecorder', class {
      constructor() {
        throw new Error('NotSupportedError: cannot record video/x-nope');
      }
    });
    await expect(rec.start(canvas(), 'video/x-nope')).rejects.toThrow('cannot record video/x-nope');
    expect(rec.recording).toBe(false);
    expect(pumps.at(-1)!.stopped).toBe(true);
    expect(rec.finished.map((r) => r.blob.size)).toEqual([700]);
  });

  it('a segment that received nothing leaves no empty file', async () => {
    const rec = new CanvasRecorder(() => {}, frames);
    await rec.start(canvas(), 'video/webm');
    rec.stop();
    FakeRecorder.made[0]!.onstop!();
    expect(rec.finished).toHaveLength(0);
  });
});

describe('the recording size', () => {
  it('is the displayed size, long side at most 1280, even sides, the shape kept', () => {
    expect(recordingSize({ width: 640, height: 400 }, { width: 128, height: 96 })).toEqual({ width: 640, height: 400 });
    expect(recordingSize({ width: 2560, height: 1600 }, { width: 128, height: 96 })).toEqual({ width: 1280, height: 800 });
    expect(recordingSize({ width: 1001, height: 3001 }, { width: 128, height: 96 })).toEqual({ width: 426, height: 1280 });
    expect(recordingSize({ width: 333, height: 201 }, { width: 128, height: 96 })).toEqual({ width: 334, height: 202 });
    // A stage not laid out: the frame's own size.
    expect(recordingSize({ width: 0, height: 0 }, { width: 225, height: 169 })).toEqual({ width: 226, height: 170 });
  });

  it('steps down to what the encoder takes, and is taken as it is where WebCodecs cannot be asked', async () => {
    expect(await encodableSize('video/webm', { width: 1280, height: 800 })).toEqual({ width: 1280, height: 800 });
    const asked: string[] = [];
    vi.stubGlobal('VideoEncoder', {
      isConfigSupported: async (c: { codec: string; width: number; height: number }) => {
        asked.push(`${c.codec} ${c.width}×${c.height}`);
        return { supported: c.width * c.height <= 921_600 };
      },
    });
    try {
      expect(await encodableSize('video/mp4;codecs=avc1', { width: 1280, height: 800 })).toEqual({ width: 960, height: 600 });
      expect(asked).toEqual(['avc1.42E028 1280×800', 'avc1.42E028 960×600']);
      expect(await encodableSize('video/webm;codecs=vp9', { width: 640, height: 400 })).toEqual({ width: 640, height: 400 });
      expect(asked.at(-1)).toBe('vp09.00.40.08 640×400');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('frames fill it as the stage shows them: cover crops the middle, contain letterboxes', () => {
    expect(fitRects({ width: 128, height: 96 }, { width: 640, height: 320 }, 'cover')).toEqual({ sx: 0, sy: 16, sw: 128, sh: 64, dx: 0, dy: 0, dw: 640, dh: 320 });
    expect(fitRects({ width: 128, height: 96 }, { width: 640, height: 320 }, 'contain')).toEqual({ sx: 0, sy: 0, sw: 128, sh: 96, dx: 106.66666666666666, dy: 0, dw: 426.6666666666667, dh: 320 });
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
