import { describe, expect, it } from 'vitest';
import { frameSize } from '../../src/workers/zoom-export';

describe('zoom export frame size', () => {
  it('keeps the aspect with the long side at the requested size, even dimensions', () => {
    expect(frameSize(300, 451, 512)).toEqual([340, 512]);
    expect(frameSize(451, 300, 513)).toEqual([514, 342]);
  });

  it('never goes below the model minimum on the short side', () => {
    expect(frameSize(300, 451, 96)).toEqual([80, 96]);
  });
});
