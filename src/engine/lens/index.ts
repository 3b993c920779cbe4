/** The lens: ways of looking into the trained network (learned weights, activations, saliency, feature visualisation). */
export * from './types';
export * from './colour-map';
export * from './grid';
export * from './layers';
export * from './filters';
export * from './activations';
export * from './own-examples';
export * from './saliency';
export * from './fourier';
export * from './robustness';
export * from './targets';
export * from './scorer';
export * from './feature-vis';
export * from './atlas';
