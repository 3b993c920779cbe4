/**
 * The toast list as pure functions of (queue, now), so timing and bounding are testable without timers or a DOM.
 */

export type ToastKind = 'info' | 'error';

export interface Toast {
  id: number;
  message: string;
  kind: ToastKind;
  /** Epoch ms; Infinity stays until dismissed. */
  expiresAt: number;
  /** How many times this same message arrived while showing (a worker may repeat a notice every frame). */
  count: number;
}

export interface ToastQueue {
  toasts: readonly Toast[];
  nextId: number;
}

export const MAX_TOASTS = 4;
export const INFO_MS = 6000;
/** Errors stay longer: they usually ask the reader to do something. */
export const ERROR_MS = 15000;

export const EMPTY_QUEUE: ToastQueue = { toasts: [], nextId: 1 };

export function defaultDuration(kind: ToastKind): number {
  return kind === 'error' ? ERROR_MS : INFO_MS;
}

/**
 * Adds a toast showing for `ms` from `now` (ms ≤ 0 or non-finite: until dismissed). A repeat of a showing message
 * refreshes that toast instead of stacking copies. Over `max`, the oldest info goes first, so an error is not
 * pushed out by chatter (a new info arriving when all others are errors is itself dropped); only when all are
 * errors does the oldest error go.
 */
export function addToast(queue: ToastQueue, message: string, kind: ToastKind, ms: number, now: number, max = MAX_TOASTS): ToastQueue {
  const expiresAt = ms > 0 && Number.isFinite(ms) ? now + ms : Infinity;
  const same = queue.toasts.find((t) => t.message === message && t.kind === kind);
  if (same) {
    const refreshed: Toast = { ...same, expiresAt: Math.max(same.expiresAt, expiresAt), count: same.count + 1 };
    return { ...queue, toasts: [...queue.toasts.filter((t) => t !== same), refreshed] };
  }
  let toasts: Toast[] = [...queue.toasts, { id: queue.nextId, message, kind, expiresAt, count: 1 }];
  const limit = Math.max(1, Math.floor(max));
  while (toasts.length > limit) {
    const victim = toasts.find((t) => t.kind === 'info') ?? toasts[0];
    toasts = toasts.filter((t) => t !== victim);
  }
  return { toasts, nextId: queue.nextId + 1 };
}

/** Drops toasts whose time is up; returns the same object when nothing expired (cheap change detection). */
export function expireToasts(queue: ToastQueue, now: number): ToastQueue {
  const toasts = queue.toasts.filter((t) => t.expiresAt > now);
  return toasts.length === queue.toasts.length ? queue : { ...queue, toasts };
}

export function dismissToast(queue: ToastQueue, id: number): ToastQueue {
  const toasts = queue.toasts.filter((t) => t.id !== id);
  return toasts.length === queue.toasts.length ? queue : { ...queue, toasts };
}

/** When the next toast expires, for a single timer; null when none will. */
export function nextExpiry(queue: ToastQueue): number | null {
  let soonest = Infinity;
  for (const t of queue.toasts) soonest = Math.min(soonest, t.expiresAt);
  return Number.isFinite(soonest) ? soonest : null;
}
