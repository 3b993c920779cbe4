import { html, type TemplateResult } from 'lit';
import { DREAM_LAYERS } from '../../engine/params/layers';
import type { Settings } from '../../engine/params/settings';
import type { Fields } from './fields';

/** DeepDream's sections: what to maximise, then the stream's feedback transform (with `streamExtra` at its end). */
export function dreamPanel(f: Fields, s: Settings, streamExtra: TemplateResult = html``): TemplateResult {
  const d = s.dream;
  const st = s.stream;
  return html`<section aria-label="DeepDream">
      <h3>DeepDream</h3>
      ${f.layers('dream.layers', 'Layers', DREAM_LAYERS, d.layers)}
      ${f.select('dream.objective', 'Objective', [['l2', 'L2 energy'], ['mean', 'Mean']], d.objective)}
      ${f.number('dream.channel', 'Channel (−1 = all)', d.channel, -1, 767, 1)}
      ${f.select('dream.normalise', 'Gradient', [['std', 'Std'], ['mean-abs', 'Mean |g|'], ['laplacian', 'Laplacian bands']], d.normalise)}
      ${f.range('dream.stepSize', 'Step size', d.stepSize, 0.001, 0.1, 0.001)}
      ${f.range('dream.jitter', 'Jitter', d.jitter, 0, 64, 1, 'px')}
      ${f.range('dream.guideWeight', 'Guide pull', d.guideWeight, 0, 5, 0.1)}
    </section>
    <section aria-label="Stream">
      <h3>Stream</h3>
      ${f.range('stream.zoom', 'Zoom', st.zoom, 0.95, 1.1, 0.001, '×')}
      ${f.range('stream.rotate', 'Rotate', st.rotate, -5, 5, 0.1, '°')}
      ${f.range('stream.driftX', 'Drift x', st.driftX, -8, 8, 0.1, 'px')}
      ${f.range('stream.driftY', 'Drift y', st.driftY, -8, 8, 0.1, 'px')}
      ${f.range('stream.colourGuard', 'Colour guard', st.colourGuard, 0, 1, 0.01)}
      ${f.range('stream.wander', 'Wander', st.wander, 0, 4, 0.05)}
      ${streamExtra}
    </section>`;
}
