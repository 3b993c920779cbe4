/**
 * A knob's 0–127 read as a position on a control's span. The span is the control's own (what the slider on screen
 * covers, so the knob and the slider agree; a log slider's span is its exponents), else the schema's bounds.
 */

export interface KnobSpan {
  min: number;
  max: number;
  /** The control's step: positions land on it, counted from `min` (0 or absent: any position). */
  step?: number;
  /** Whether the setting takes whole numbers only. */
  integer?: boolean;
}

/** The highest value a 7-bit Control Change carries. */
export const CC_MAX = 127;

/** CC 0 is the span's minimum, CC 127 its maximum, evenly between; on the step grid and inside the span. */
export function ccToPosition(cc: number, span: KnobSpan): number {
  const t = Math.min(Math.max(cc, 0), CC_MAX) / CC_MAX;
  let v = span.min + t * (span.max - span.min);
  const step = span.step ?? 0;
  if (step > 0) v = span.min + Math.round((v - span.min) / step) * step;
  if (span.integer) v = Math.round(v);
  v = Math.min(Math.max(v, span.min), span.max);
  // Steps like 0.001 leave float dust (0.30000000000000004); links and outputs want the short number.
  return Number(v.toPrecision(12));
}

/** Whether a span is one a knob can cover (schema bounds may be open). */
export function coverable(span: KnobSpan): boolean {
  return Number.isFinite(span.min) && Number.isFinite(span.max) && span.max > span.min;
}
