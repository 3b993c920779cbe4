import * as tf from '@tensorflow/tfjs';
import { channelsAt, readLayer, topFeatureMaps } from '../../lens/activations';
import { OwnExamples } from '../../lens/own-examples';
import type { ModelRunner } from '../../model/runner';
import type { Settings } from '../../params/settings';
import type { AtlasCache } from '../../lens/atlas';
import type { InfoTile, Inspection, Picked } from '../mode';
import { atlasTileKey } from './atlas-view';
import type { LensParams } from './about';
import { normalise, overlay } from './paint';
import { infoTile, type LensView } from './view';

/** How many of the layer's most active channels the panel shows. */
const TOP = 12;

/** The channel `p` names, or the one most active on the picture (an index tensor, read back never). */
export function chosenChannel(means: tf.Tensor1D, p: LensParams): tf.Tensor1D {
  return p.channel >= 0 ? tf.tensor1d([p.channel], 'int32') : (tf.argMax(means).reshape([1]) as tf.Tensor1D);
}

/**
 * The layer's activations on the picture: the chosen channel's map over the picture (the most active channel when
 * none is chosen); beside it the most active channels' maps, and the crops of the frames seen so far that excited
 * the chosen channel most (your own examples). A click lists the channels that fire most at that point and shows
 * the strongest.
 */
export class ActivationsView implements LensView {
  private examples: OwnExamples | null = null;
  private frames = 0;

  constructor(
    private readonly runner: ModelRunner,
    private readonly p: LensParams,
    /** The atlas's tiles, for the pictures of the channels a click finds (those made before). */
    private readonly cache?: AtlasCache,
  ) {
  }

  frame(picture: tf.Tensor4D): { image: tf.Tensor4D; loss: tf.Tensor1D } {
    return tf.tidy(() => {
      const a = this.runner.run(picture, [this.p.layer])[this.p.layer]!.squeeze([0]) as tf.Tensor3D;
      const means = a.mean([0, 1]) as tf.Tensor1D;
      const chosen = chosenChannel(means, this.p);
      const map = tf.gather(a, chosen, 2).squeeze([2]) as tf.Tensor2D;
      return { image: overlay(picture, normalise(map, false), this.p.overlay), loss: tf.gather(means, chosen) as tf.Tensor1D };
    });
  }

  async pick(picture: tf.Tensor4D, u: number, v: number, settings: Settings): Promise<Picked> {
    const r = await readLayer(this.runner, picture, this.p.layer);
    const at = channelsAt(r, u * r.pictureWidth, v * r.pictureHeight, 8);
    const top = at.channels[0]!;
    return {
      settings: { ...settings, lens: { ...this.p, channel: top.channel } },
      info: {
        title: `${this.p.layer} at (${Math.round(u * r.pictureWidth)}, ${Math.round(v * r.pictureHeight)})`,
        rows: await Promise.all(at.channels.map(async (c) => ({ key: c.channel, label: `#${c.channel}`, value: c.value, ...(await this.thumb(c.channel, c.value)) }))),
        select: 'lens.channel',
      },
    };
  }

  /** The channel's atlas tile, when the atlas has made it (feature visualisations take minutes on a CPU). */
  private async thumb(channel: number, value: number): Promise<{ thumb?: InfoTile }> {
    const tile = this.cache && (await this.cache.get(atlasTileKey(this.p.layer, channel)));
    return tile ? { thumb: infoTile(channel, `#${channel}`, value, tile) } : {};
  }

  async inspect(picture: tf.Tensor4D): Promise<Inspection> {
    const r = await readLayer(this.runner, picture, this.p.layer);
    const maps = topFeatureMaps(r, TOP, { scale: Math.max(1, Math.round(40 / r.width)) });
    const channel = this.p.channel >= 0 ? this.p.channel : maps[0]!.channel;
    if (this.examples?.channel !== channel) this.examples = new OwnExamples(this.p.layer, channel);
    await this.examples.offer(this.runner, picture, this.frames++);
    return {
      title: `${this.p.layer}: the ${TOP} most active channels`,
      tiles: maps.map((m) => infoTile(m.channel, `#${m.channel}`, m.mean, m.pixels)),
      select: 'lens.channel',
      examples: {
        title: `#${channel}: your own examples`,
        tiles: this.examples.examples.map((e) => infoTile(channel, `frame ${e.frame}`, e.value, e.pixels)),
      },
    };
  }

  dispose(): void {
    this.examples = null;
  }
}
