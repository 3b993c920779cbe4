/**
 * The keyboard's live moves: a notch of zoom, of rotation, of step size. Each is an edit of one setting, made as a
 * person's edit of its control is made (applyEdit: validated whole), kept inside the setting's schema bounds.
 */
import type { Settings } from '../../engine/params/settings';
import { applyEdit, type EditResult } from '../look/settings-edit';
import { schemaSpan } from '../midi/schema-span';

export const NUDGE_ACTIONS = ['zoom-in', 'zoom-out', 'rotate-left', 'rotate-right', 'step-smaller', 'step-larger'] as const;
export type NudgeAction = (typeof NUDGE_ACTIONS)[number];

interface Nudge {
  /**
   * The setting moved: the first of these whose section the running mode owns (the step size is the dream's
   * `stepSize` or the style transfer's `learningRate`); `common` for a setting every mode has.
   */
  paths: readonly string[];
  common: boolean;
  move: (v: number) => number;
}

const ZOOM_NOTCH = 0.005;
const ROTATE_NOTCH = 0.5;
/** Step sizes span decades, so a notch is a ratio. */
const STEP_RATIO = 1.25;

const NUDGES: Readonly<Record<NudgeAction, Nudge>> = {
  'zoom-in': { paths: ['stream.zoom'], common: true, move: (v) => v + ZOOM_NOTCH },
  'zoom-out': { paths: ['stream.zoom'], common: true, move: (v) => v - ZOOM_NOTCH },
  'rotate-left': { paths: ['stream.rotate'], common: true, move: (v) => v - ROTATE_NOTCH },
  'rotate-right': { paths: ['stream.rotate'], common: true, move: (v) => v + ROTATE_NOTCH },
  'step-smaller': { paths: ['dream.stepSize', 'style.learningRate'], common: false, move: (v) => v / STEP_RATIO },
  'step-larger': { paths: ['dream.stepSize', 'style.learningRate'], common: false, move: (v) => v * STEP_RATIO },
};

function valueAt(settings: Settings, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), settings);
}

/**
 * The settings after a notch of `action`, or null where the running mode has no such setting (the lens has no step
 * size). `modeSections` are the settings sections the running mode owns (its about's `settings` keys).
 */
export function nudge(settings: Settings, action: NudgeAction, modeSections: readonly string[]): EditResult | null {
  const n = NUDGES[action];
  const path = n.common ? n.paths[0] : n.paths.find((p) => modeSections.includes(p.split('.')[0]!));
  if (!path) return null;
  const now = valueAt(settings, path);
  if (typeof now !== 'number') return null;
  const span = schemaSpan(path);
  let next = n.move(now);
  if (span) next = Math.min(Math.max(next, span.min), span.max);
  // Four figures: repeated notches stay short numbers in the URL and the control's output.
  return applyEdit(settings, path, Number(next.toPrecision(4)));
}

/** A shortcut action per move, each running `run` (the app applies the result). */
export function nudgeActions(run: (action: NudgeAction) => void): Record<NudgeAction, () => void> {
  return Object.fromEntries(NUDGE_ACTIONS.map((a) => [a, () => run(a)])) as Record<NudgeAction, () => void>;
}
