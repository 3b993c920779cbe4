import { live } from '../params/apply';
import { dreamParamsSchema } from '../params/dream';

/**
 * The DeepDream section, shared by the modes that dream (the zoom stream and webcam dreaming): every field applies
 * live (the stream session takes new layers, steps and objective between two steps).
 */
export const DREAM_SETTINGS = {
  dream: live(dreamParamsSchema.default(() => dreamParamsSchema.parse({}))),
};
