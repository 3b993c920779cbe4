import { describe, expect, it } from 'vitest';
import {
  addToast,
  defaultDuration,
  dismissToast,
  EMPTY_QUEUE,
  ERROR_MS,
  expireToasts,
  INFO_MS,
  MAX_TOASTS,
  nextExpiry,
  type ToastQueue,
} from '../../src/components/overlays/toast-queue';

const messages = (q: ToastQueue) => q.toasts.map((t) => t.message);

describe('toast queue', () => {
  it('adds toasts with unique ids and an expiry', () => {
    let q = addToast(EMPTY_QUEUE, 'a', 'info', 1000, 5000);
    q = addToast(q, 'b', 'error', 2000, 5000);
    expect(messages(q)).toEqual(['a', 'b']);
    expect(q.toasts.map((t) => t.expiresAt)).toEqual([6000, 7000]);
    expect(new Set(q.toasts.map((t) => t.id)).size).toBe(2);
    expect(EMPTY_QUEUE.toasts).toHaveLength(0);
  });

  it('errors stay longer by default', () => {
    expect(defaultDuration('error')).toBeGreaterThan(defaultDuration('info'));
    expect(defaultDuration('info')).toBe(INFO_MS);
    expect(defaultDuration('error')).toBe(ERROR_MS);
  });

  it('expires by time, returning the same queue when nothing changed', () => {
    let q = addToast(EMPTY_QUEUE, 'short', 'info', 1000, 0);
    q = addToast(q, 'long', 'info', 5000, 0);
    expect(expireToasts(q, 999)).toBe(q);
    expect(messages(expireToasts(q, 1000))).toEqual(['long']);
    expect(messages(expireToasts(q, 5000))).toEqual([]);
  });

  it('keeps a toast with ms ≤ 0 until dismissed', () => {
    const q = addToast(EMPTY_QUEUE, 'sticky', 'error', 0, 0);
    expect(messages(expireToasts(q, 1e12))).toEqual(['sticky']);
    expect(nextExpiry(q)).toBeNull();
    expect(messages(dismissToast(q, q.toasts[0]!.id))).toEqual([]);
  });

  it('is bounded, dropping the oldest info before any error', () => {
    let q = addToast(EMPTY_QUEUE, 'e1', 'error', 1000, 0);
    for (const m of ['i1', 'i2', 'i3', 'i4']) q = addToast(q, m, 'info', 1000, 0);
    expect(q.toasts).toHaveLength(MAX_TOASTS);
    expect(messages(q)).toEqual(['e1', 'i2', 'i3', 'i4']);
    for (const m of ['e2', 'e3', 'e4']) q = addToast(q, m, 'error', 1000, 0);
    expect(messages(q)).toEqual(['e1', 'e2', 'e3', 'e4']);
    q = addToast(q, 'e5', 'error', 1000, 0);
    expect(messages(q)).toEqual(['e2', 'e3', 'e4', 'e5']);
  });

  it('folds a repeated message into one toast, refreshing its time', () => {
    let q = addToast(EMPTY_QUEUE, 'same', 'info', 1000, 0);
    q = addToast(q, 'other', 'info', 1000, 0);
    q = addToast(q, 'same', 'info', 1000, 800);
    expect(messages(q)).toEqual(['other', 'same']);
    expect(q.toasts[1]!.count).toBe(2);
    expect(q.toasts[1]!.expiresAt).toBe(1800);
    // Same text as an error is a different toast.
    expect(addToast(q, 'same', 'error', 1000, 0).toasts).toHaveLength(3);
  });

  it('dismisses by id', () => {
    let q = addToast(EMPTY_QUEUE, 'a', 'info', 1000, 0);
    q = addToast(q, 'b', 'info', 1000, 0);
    expect(messages(dismissToast(q, q.toasts[0]!.id))).toEqual(['b']);
    expect(dismissToast(q, 12345)).toBe(q);
  });

  it('reports the soonest expiry for a single timer', () => {
    let q = addToast(EMPTY_QUEUE, 'a', 'info', 3000, 0);
    q = addToast(q, 'b', 'info', 1000, 0);
    expect(nextExpiry(q)).toBe(1000);
    expect(nextExpiry(EMPTY_QUEUE)).toBeNull();
  });
});
