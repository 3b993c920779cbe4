/** The tfjs backends the CLI and tests can ask for in Node; kept apart from backend.ts so that naming one loads no tfjs. */
export type NodeBackend = 'wasm' | 'cpu' | 'webgpu';
export const NODE_BACKENDS: readonly NodeBackend[] = ['wasm', 'cpu', 'webgpu'];
