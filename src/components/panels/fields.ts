import type { TemplateResult } from 'lit';
import type { Settings } from '../../engine/params/settings';
import type { LayerListPath } from '../look/settings-edit';

/** How a field's raw DOM value becomes a settings value (read from `data-kind`). */
export type Kind = 'number' | 'log' | 'text' | 'flag' | 'layer' | 'layer-weight' | 'blend';
export type Option = readonly [value: string, label: string];

/**
 * The settings panel's field makers, each bound to a settings path: a mode's panel section is written with these
 * alone, and the panel (ds-controls) validates and applies what they edit.
 */
export interface Fields {
  range(path: string, label: string, value: number, min: number, max: number, step: number, unit?: string, kind?: Kind): TemplateResult;
  /** A logarithmic slider over 1e-3…1e6, its leftmost position 0 (off). */
  logRange(path: string, label: string, value: number): TemplateResult;
  number(path: string, label: string, value: number, min: number, max: number, step: number): TemplateResult;
  select(path: string, label: string, options: readonly Option[], value: string, kind?: Kind): TemplateResult;
  /** A chip per layer offered (and any chosen beyond them): which layers count. */
  layers(path: LayerListPath, legend: string, offered: readonly string[], chosen: readonly { name: string }[]): TemplateResult;
  /** A weight slider per chosen layer. */
  layerWeights(path: LayerListPath, chosen: readonly { name: string; weight: number }[]): TemplateResult;
}

/** A mode's section of the settings panel; `extra` is what a mode built on another adds to its stream section. */
export type Panel = (f: Fields, s: Settings) => TemplateResult;
