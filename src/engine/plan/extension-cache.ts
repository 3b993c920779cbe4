import type { GpuPlan } from './gpu-plan';
import { PlanUnsupported } from './graph';

/** Something built onto a plan (its kernels and buffers): the plan destroys it with itself. */
export interface Extension {
  readonly bytes: number;
  destroy(): void;
}

/** One build of an extension on a plan: built, being built (from the first ask on), or failed and why. */
export interface ExtensionEntry<T extends Extension> {
  built: T | null;
  /** Resolves once built (or failed: null). */
  building: Promise<T | null>;
  failed?: string;
}

const entries = new WeakMap<GpuPlan, Map<string, ExtensionEntry<Extension>>>();

/** Builds under way now. */
const pending = new Set<Promise<unknown>>();

/**
 * The extension `id` on `plan`: the entry of the build started by the first ask (`build`, which attaches what it
 * makes to the plan), so that a session asking every iteration starts it once and uses it once it is there. A
 * build that is unsupported says why; any other failure is also logged.
 */
export function extensionOn<T extends Extension>(plan: GpuPlan, id: string, what: string, build: () => Promise<T>): ExtensionEntry<T> {
  let byId = entries.get(plan);
  if (!byId) entries.set(plan, (byId = new Map()));
  const known = byId.get(id);
  if (known) return known as ExtensionEntry<T>;
  const entry: ExtensionEntry<T> = { built: null, building: Promise.resolve(null) };
  entry.building = build().then(
    (t) => (entry.built = t),
    (err: unknown) => {
      entry.failed = err instanceof PlanUnsupported ? err.message : `${what} build failed: ${(err as Error).message}`;
      if (!(err instanceof PlanUnsupported)) console.warn(`dreamstream: ${entry.failed}`);
      return null;
    },
  );
  byId.set(id, entry);
  trackBuild(entry.building);
  return entry;
}

/** Counts `building` among the builds under way until it settles (extensionsSettled waits for it). */
export function trackBuild(building: Promise<unknown>): void {
  pending.add(building);
  void building.finally(() => pending.delete(building));
}

/** Once every extension build under way has finished (built or failed). */
export async function extensionsSettled(): Promise<void> {
  await Promise.all([...pending]);
}
