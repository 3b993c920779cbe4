import { html, nothing, type TemplateResult } from 'lit';
import { CONTENT_LAYERS, STYLE_LAYERS } from '../../engine/params/layers';
import type { Settings } from '../../engine/params/settings';
import { secondShare } from '../look/settings-edit';
import type { Fields, Option } from './fields';

/** Style transfer's section: the loss weights, the layers, where it starts and how the network sees the picture. */
export function stylePanel(f: Fields, s: Settings): TemplateResult {
  const p = s.style;
  const inits: Option[] = [['content', 'Content image'], ['noise', 'Noise'], ['style', 'Style image']];
  return html`<section aria-label="Style transfer">
    <h3>Style transfer</h3>
    ${f.logRange('style.contentWeight', 'Content weight', p.contentWeight)}
    ${f.logRange('style.styleWeight', 'Style weight', p.styleWeight)}
    ${f.logRange('style.tvWeight', 'Smoothness (TV)', p.tvWeight)}
    ${f.range('style.learningRate', 'Learning rate', p.learningRate, 0.001, 0.1, 0.001)}
    ${p.styleBlend.length >= 2 ? f.range('style.styleBlend', 'Second painting', secondShare(p.styleBlend), 0, 1, 0.01, '', 'blend') : nothing}
    ${f.layers('style.styleLayers', 'Style layers', STYLE_LAYERS, p.styleLayers)}
    ${f.layerWeights('style.styleLayers', p.styleLayers)}
    ${f.select('style.contentLayer', 'Content layer', CONTENT_LAYERS.map((l): Option => [l, l]), p.contentLayer)}
    ${f.select('style.init', 'Start from', inits, p.init)}
    ${f.select('style.colour', 'Colours', [['style', "the painting's"], ['content', "the photo's"], ['match', 'photo recoloured first']], p.colour)}
    ${f.range('style.styleScale', 'Stroke scale', p.styleScale, 0.25, 4, 0.05, '×')}
    ${f.select('style.basis', 'Optimise', [['pyramid', 'pyramid (broad strokes)'], ['pixels', 'pixels (Gatys)']], p.basis)}
    ${f.range('style.pad', 'Edge padding', p.pad, 0, 64, 1, 'px')}
    ${f.range('style.jitter', 'Jitter', p.jitter, 0, 32, 1, 'px')}
    ${f.range('style.jitterRotate', 'Turn jitter', p.jitterRotate, 0, 15, 0.5, '°')}
    ${f.range('style.jitterScale', 'Scale jitter', p.jitterScale, 0, 0.2, 0.01)}
    ${f.select('style.stages', 'Coarse to fine', [['1', 'off'], ['2', '2 sizes'], ['3', '3 sizes'], ['4', '4 sizes']], String(p.stages), 'number')}
    ${p.stages > 1 ? f.range('style.stageIterations', 'Per size', p.stageIterations, 5, 200, 5, ' it') : nothing}
    ${f.range('style.smoothing', 'Smoothing', p.smoothing, 0, 0.95, 0.05)}
  </section>`;
}
