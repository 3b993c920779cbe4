import { html, nothing, type TemplateResult } from 'lit';
import type { Settings } from '../../engine/params/settings';
import { dreamPanel } from './dream-panel';
import type { Fields } from './fields';

/** Webcam dreaming: DeepDream's sections, the camera's motion and pull at the end of the stream's. */
export function webcamPanel(f: Fields, s: Settings): TemplateResult {
  const camera = html`${f.select('webcamFlow', 'Camera motion', [['true', 'followed (optical flow)'], ['false', 'blended in']], String(s.webcamFlow), 'flag')}
  ${s.webcamFlow ? f.range('webcamFlowPull', 'Camera pull', s.webcamFlowPull, 0, 1, 0.01) : nothing}
  ${!s.webcamFlow ? f.range('webcamBlend', 'Camera pull', s.webcamBlend, 0, 1, 0.01) : nothing}
  ${!s.webcamFlow ? f.range('webcamGate', 'Motion gating', s.webcamGate, 0, 1, 0.05) : nothing}`;
  return dreamPanel(f, s, camera);
}
