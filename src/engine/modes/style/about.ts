import { styleParamsSchema } from '../../params/style';
import { defineAbout } from '../about';

/** Gatys et al.'s style transfer, every iteration a frame: the picture is shown forming. */
export const styleAbout = defineAbout({
  name: 'style',
  label: 'Style transfer',
  // Marked field by field in params/style.ts: the weights change live, the layers and the view rebuild.
  settings: { style: styleParamsSchema.default(() => styleParamsSchema.parse({})) },
  source: 'picture',
  pictures: { content: 'Content', paintings: true, guide: false },
  lossNames: ['loss', 'content', 'style', 'tv'],
  // Below ~192 px style transfer is pixel mush (the strokes are bigger than the frame): fewer frames instead.
  minResolution: 192,
  maskOther: { label: 'The second painting', layers: false },
});
