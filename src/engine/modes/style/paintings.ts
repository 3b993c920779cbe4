import type { Mask } from '../../mask/mask';
import type { Settings } from '../../params/settings';
import type { StyleParams } from '../../params/style';
import { shares, type Painting } from '../../sessions/style-stage';
import type { ModeContext } from '../mode';

/**
 * The paintings by slot, up to the last one present, each with its share (none given: the first has all of it, the
 * others none). A missing slot before a present one stands in as the content, so shares keep their slots.
 */
export function paintingsOf(ctx: ModeContext, p: StyleParams): Painting[] {
  const last = ctx.styles.reduce((n, x, i) => (x ? i : n), 0);
  const weights = shares(p.styleBlend, last + 1);
  return weights.map((weight, i) => ({ image: ctx.styles[i] ?? ctx.content, weight }));
}

/** Whether the mask splits the picture between two paintings: the first inside, the second alone outside. */
export function twoRegions(ctx: ModeContext, settings: Settings, mask: Mask | null): boolean {
  return !!mask && settings.mask.outside === 'other' && !!ctx.styles[1];
}

/** The paintings of each region (borrowed): the blend everywhere, or with two regions the first inside, the second outside. */
export function regionPaintings(ctx: ModeContext, settings: Settings, mask: Mask | null): { inside: Painting[]; outside: Painting[] | null } {
  if (!twoRegions(ctx, settings, mask)) return { inside: paintingsOf(ctx, settings.style), outside: null };
  return { inside: [{ image: ctx.styles[0] ?? ctx.content, weight: 1 }], outside: [{ image: ctx.styles[1]!, weight: 1 }] };
}
