import type { ToastKind } from '../overlays/toast-queue';

/** How a controller tells the user something: a toast (the host queues it until its toast element exists). */
export type Notify = (message: string, kind?: ToastKind, ms?: number) => void;
