import { z } from 'zod';
import { live } from '../../params/apply';
import { LAYER_CHANNELS } from '../../params/layers';
import { num, oneOf } from '../../params/schema';
import { defineAbout } from '../about';

/**
 * The lens's ways into the network: the activations of a layer on the picture (its most active channels, one of
 * them over the picture), saliency (where the picture makes a channel fire), feature visualisation (what a channel
 * answers to most, grown from noise), the first convolution's learned filters, and the atlas (every channel of a
 * layer visualised, to browse and dream with).
 */
export const LENS_VIEWS = ['activations', 'saliency', 'features', 'filters', 'atlas'] as const;
export type LensView = (typeof LENS_VIEWS)[number];

/** The layers the lens looks at: the stem's convolutions, then the blocks up to mixed7 (the pruned trunk). */
export const LENS_LAYERS = Object.keys(LAYER_CHANNELS) as [string, ...string[]];

/** What a feature visualisation maximises: a channel, its centre neuron, or a mix of two channels. */
export const LENS_TARGETS = ['channel', 'neuron', 'mix'] as const;

export const SALIENCY_METHODS = ['gradient', 'smoothgrad', 'gradient-x-input'] as const;

/** Tiles on one page of the atlas (8 × 8): a page fills in a few minutes on a CPU. */
export const ATLAS_PAGE = 64;

export const lensParamsSchema = z
  .object({
    view: oneOf(LENS_VIEWS, 'activations'),
    layer: oneOf(LENS_LAYERS as unknown as readonly [string, ...string[]], 'mixed4'),
    /** The channel looked at; −1: the one most active on the picture. */
    channel: num(-1, 767, -1, true),
    /** Saliency: the plain gradient, SmoothGrad (averaged over noisy copies) or gradient × input. */
    method: oneOf(SALIENCY_METHODS, 'smoothgrad'),
    /** SmoothGrad's noisy copies per frame. */
    samples: num(1, 32, 8, true),
    /** How strongly a map or heat map covers the picture (0: the picture alone). */
    overlay: num(0, 1, 0.65),
    /**
     * Feature visualisation: the whole channel (its mean over the picture), its neuron at the centre alone, or a
     * mix of the channel and a second one (Olah et al.'s interpolation: what answers to both at once).
     */
    target: oneOf(LENS_TARGETS, 'channel'),
    /** A mix's second channel. */
    mixWith: num(0, 767, 0, true),
    /** The second channel's share of a mix (the first has the rest): 0 the first alone, 1 the second alone. */
    mixShare: num(0, 1, 0.5),
    /** Feature visualisation: pictures of the one target grown side by side, pushed apart by a diversity term. */
    copies: num(1, 4, 1, true),
    /** The atlas page shown (64 channels a page). */
    page: num(0, 11, 0, true),
  })
  .superRefine((p, ctx) => {
    const channels = LAYER_CHANNELS[p.layer] ?? 0;
    if (p.mixWith >= channels) ctx.addIssue({ code: 'custom', path: ['mixWith'], message: `must be from 0 to ${channels - 1} for layer ${p.layer}` });
    if (p.channel >= channels) ctx.addIssue({ code: 'custom', path: ['channel'], message: `must be from -1 to ${channels - 1} for layer ${p.layer}` });
    const pages = Math.ceil(channels / ATLAS_PAGE);
    if (p.page >= pages) ctx.addIssue({ code: 'custom', path: ['page'], message: `must be from 0 to ${pages - 1} for layer ${p.layer}` });
  });

export type LensParams = z.output<typeof lensParamsSchema>;

export const lensAbout = defineAbout({
  name: 'lens',
  label: 'Lens (look inside)',
  // Every field applies to the running lens: a new view or layer is a new view object, the picture carries on.
  settings: { lens: live(lensParamsSchema.default(() => lensParamsSchema.parse({}))) },
  // The chosen picture, or the camera while it is on: the lens looks at whatever is the source.
  source: 'either',
  pictures: { content: 'Picture', paintings: false, guide: false },
  lossNames: ['loss'],
  minResolution: 0,
  inspects: true,
  maskOther: { label: 'Other layers', layers: true },
});
