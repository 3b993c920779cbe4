/**
 * The headless renderer's commands: stills (dream, style), frame-exact zoom sequences and videos from the same
 * engine sessions the app streams with, and the lens's pictures. Started by render.ts once the flags are checked.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Mask } from '../engine/mask/mask';
import { dreamRegions } from '../engine/mask/regions';
import { lookChunks, type Look } from '../engine/params/look';
import { MASK_SIDE, type MaskParams } from '../engine/params/mask';
import { settings as parseSettings, type Settings, type SettingsInput } from '../engine/params/settings';
import type { ModeContext } from '../engine/modes/mode';
import { BUILT_IN_MODES } from '../engine/modes/registry';
import type { Still } from '../engine/modes/spec';
import { frameParams } from '../engine/audio/soundtrack';
import { renderFrames, workingSize } from '../engine/render/frames';
import { VideoDreamer } from '../engine/video/video-dreamer';
import { modelToBytes, pixelsToModel } from '../engine/image/convert';
import { MIN_INPUT_SIZE, ModelRunner } from '../engine/model/runner';
import { Guide } from '../engine/objectives/guide';
import type { DreamParams } from '../engine/params/dream';
import type { StreamParams } from '../engine/params/stream';
import type { StyleParams } from '../engine/params/style';
import type { Session } from '../engine/sessions/session';
import { StreamSession } from '../engine/sessions/stream-session';
import { tileCount } from '../engine/tiles/grid';
import { PeakMemory } from '../engine/tiles/memory';
import { Tiler } from '../engine/tiles/tiler';
import { deviceTileSide, MAX_TILE, MIN_TILE } from '../engine/tiles/tile-size';
import { useNodeBackend, type NodeBackend } from '../node/backend';
import { greyPngDataUrl, loadGrey, loadImage, rgbToTensor, writeImage, type GreyImage, type ImageFormat, type RgbImage } from '../node/image-io';
import { loadArtifactsFromDisk } from '../node/model-files';
import { decodeFrames, probeVideo, VideoEncoder } from '../node/video-io';
import { count, number, required, size as sizeArg, UsageError, type CliArgs, type Command, type Size } from './args';
import { outputDir, outputFile, outputVideo } from './paths';
import { runFeatures, runFilters, runSaliency } from './lens';
import { audioPreset, readSoundtrack } from './audio';
import { Progress } from './progress';
import { settingsOf } from './settings-flags';

/** The long side an input without --size is shrunk to, and the largest video frame (a video is not tiled). */
const MAX_SIDE = 2048;
/** The largest zoom frame: 4K, dreamed tile by tile beyond a tile. */
const MAX_ZOOM_SIDE = 3840;
/** The largest side of a still (dream, style): computed tile by tile beyond a tile. */
const MAX_TILED_SIDE = 8192;
/** The largest working resolution the app offers (settings.resolution). */
const MAX_APP_RESOLUTION = 1024;
/** The most steps per frame the app's look can hold (settings.stepsPerFrame). */
const MAX_STEPS_PER_FRAME = 20;

function emit(args: CliArgs, obj: Record<string, unknown>): void {
  if (args.json) process.stdout.write(JSON.stringify(obj) + '\n');
}

/** --size for the command: stills up to MAX_TILED_SIDE a side, zoom frames up to MAX_ZOOM_SIDE (both tiled), videos up to MAX_SIDE. */
function sizeOption(args: CliArgs): Size | undefined {
  if (args.command === 'zoom') return sizeArg(args.values, MIN_INPUT_SIZE, MAX_ZOOM_SIDE, ' for zoom');
  if (args.command === 'video') return sizeArg(args.values, MIN_INPUT_SIZE, MAX_SIDE, ' for video');
  return sizeArg(args.values, MIN_INPUT_SIZE, MAX_TILED_SIDE);
}

/** --tile N, checked before anything loads; undefined: the device's own (deviceTileSide) once the backend runs. */
function tileOption(args: CliArgs): number | undefined {
  return args.values.tile === undefined ? undefined : count(args.values, 'tile', 0, MIN_TILE, MAX_TILE);
}

/** The largest storage buffer the WebGPU device binds (tfjs asks the adapter for its maximum); undefined elsewhere. */
function bufferLimit(): number | undefined {
  const backend = tf.backend() as { device?: { limits?: { maxStorageBufferBindingSize?: number } } };
  return backend.device?.limits?.maxStorageBufferBindingSize;
}

/** The tiler of a still: --tile or the device's side for these layers, its probe sampled at every tile. */
function tilerFor(args: CliArgs, runner: ModelRunner, layers: readonly string[]): Tiler {
  const tile = tileOption(args) ?? deviceTileSide(runner, layers, bufferLimit());
  return new Tiler(runner, { tile, probe: new PeakMemory() });
}

/**
 * Decodes an input at the size it is used at: exactly W×H with --size (scaled to cover, its aspect kept, then
 * centre-cropped; N is N×N), else as it is, its long side shrunk to MAX_SIDE if longer.
 */
async function readInput(path: string, size: Size | undefined): Promise<RgbImage> {
  const fit = size === undefined ? { maxSide: MAX_SIDE } : size.width === size.height ? { square: size.width } : size;
  const image = await loadImage(path, fit);
  const { width, height } = image;
  if (Math.min(width, height) < MIN_INPUT_SIZE) throw new UsageError(`${path}: ${width}×${height} is smaller than ${MIN_INPUT_SIZE} px; pass --size`);
  return image;
}

/** The model's [1,H,W,3]; only once the backend has started. */
function toModel(image: RgbImage): tf.Tensor4D {
  return tf.tidy(() => pixelsToModel(rgbToTensor(image)));
}

/**
 * Starts the backend and loads the model. Commands call it only once their arguments and files have been checked,
 * so mistakes are reported at once.
 */
function engineFor(backend: NodeBackend) {
  let runner: ModelRunner | undefined;
  return {
    start: async (): Promise<ModelRunner> => {
      await useNodeBackend(backend);
      return (runner = ModelRunner.fromArtifacts(loadArtifactsFromDisk()));
    },
    dispose: () => runner?.dispose(),
  };
}
type Start = () => Promise<ModelRunner>;

/** --outside and --outside-layers (what a mask's outside does); refused without --mask, where they mean nothing. */
function maskOptions(args: CliArgs): MaskParams {
  const [outside, layers] = ['mask.outside', 'mask.outsideLayers'].map((path) => args.settings.has(path));
  if (args.values.mask === undefined && (outside || layers)) throw new UsageError('--outside and --outside-layers need a --mask');
  const mask = settingsOf(args.settings).mask;
  if (layers && mask.outside !== 'other') throw new UsageError('--outside-layers needs --outside other');
  return mask;
}

/** The longest side a mask is read at: it is resampled to each picture it meets, and a brush needs no more. */
const MAX_MASK_READ = 1024;

/**
 * The --mask file fitted to a width × height picture (its luminance; white: the look applies), at most
 * MAX_MASK_READ px on its long side (a 4K still's mask would otherwise weigh what the picture does), or undefined.
 */
async function readMask(args: CliArgs, { width, height }: { width: number; height: number }): Promise<GreyImage | undefined> {
  const path = args.values.mask;
  if (typeof path !== 'string') return undefined;
  const scale = Math.min(1, MAX_MASK_READ / Math.max(width, height));
  return loadGrey(path, { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) });
}

/** The mask on the backend (only once it has started). */
const maskOn = (grey: GreyImage | undefined) => grey && new Mask(grey.data, grey.width, grey.height);

/** The dream settings; a --guide weighs 1 unless --guide-weight says otherwise, and without one nothing. */
function dreamOptions(args: CliArgs): DreamParams {
  const weight = typeof args.values.guide === 'string' ? (args.settings.get('dream.guideWeight')?.value ?? 1) : 0;
  return settingsOf(args.settings, { 'dream.guideWeight': weight }).dream;
}

const styleOptions = (args: CliArgs): StyleParams => settingsOf(args.settings).style;
const streamOptions = (args: CliArgs): StreamParams => settingsOf(args.settings).stream;

/**
 * Runs `steps` steps, reporting each; returns timings. With `measure`, the probe is sampled after every step too,
 * and the megapixels each step worked on (`area()` after it) are added up.
 */
async function drive(args: CliArgs, session: Session, steps: number, label: string, measure?: { probe?: PeakMemory; area: () => number; megapixels: number[] }): Promise<number[]> {
  const progress = new Progress(steps, label, args.json);
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const losses = session.step();
    measure?.probe?.sample();
    const values = await losses.data();
    losses.dispose();
    times.push(performance.now() - t0);
    measure?.megapixels.push(measure.area() / 1e6);
    const report: Record<string, unknown> = { step: i };
    session.lossNames.forEach((name, k) => (report[name] = values[k]));
    emit(args, report);
    progress.update(i + 1, `loss ${values[0]!.toPrecision(4)}`);
  }
  progress.finish();
  return times;
}

function summary(args: CliArgs, times: number[], extra: Record<string, unknown>): void {
  const warm = times.length > 1 ? times.slice(1) : times;
  const msPerStep = warm.reduce((a, b) => a + b, 0) / Math.max(1, warm.length);
  emit(args, { done: true, backend: tf.getBackend(), ms_per_step: Number(msPerStep.toFixed(1)), first_step_ms: Number((times[0] ?? 0).toFixed(1)), ...extra });
  if (!args.json) console.error(`done on ${tf.getBackend()}: ${msPerStep.toFixed(0)} ms/step`);
}

/**
 * The look a render was made with, in the app's own vocabulary, so dropping the PNG on the app dreams on with
 * the same settings. A render size within the app's range becomes its fixed working resolution.
 */
function lookOf(input: SettingsInput, size: Size | undefined, frame?: number, mask?: string): Look {
  const long = size && Math.max(size.width, size.height);
  const resolution = long !== undefined && long <= MAX_APP_RESOLUTION ? long : 0;
  return { settings: parseSettings({ ...input, resolution }), ...(frame === undefined ? {} : { frame }), ...(mask ? { mask } : {}) };
}

/** The mask as its look carries it, at the app's mask size. */
const maskLook = async (grey: GreyImage | undefined) => (grey ? await greyPngDataUrl(grey, MASK_SIDE) : undefined);

async function save(path: string, format: ImageFormat, image: tf.Tensor4D, look: Look): Promise<void> {
  const bytes = modelToBytes(image);
  await writeImage(path, bytes, format, lookChunks(look));
  bytes.dispose();
}

/**
 * A still of the look made by its mode, as Render large makes one: the CLI does not decide which session a look
 * means. The picture is already at the still's size (so its live size is its own: the look's octaves as they are).
 */
function stillOf(settings: Settings, ctx: ModeContext, steps: number, tiler: Tiler): Still {
  const [, h, w] = ctx.content.shape;
  return BUILT_IN_MODES.createStill({ ctx, settings, size: [h, w], start: null, steps, liveSide: Math.max(h, w), tiler });
}

async function runDream(args: CliArgs, start: Start): Promise<void> {
  const v = args.values;
  const output = required(v, 'output');
  const format = outputFile(output);
  const params = dreamOptions(args);
  const maskSettings = maskOptions(args);
  const size = sizeOption(args);
  tileOption(args);
  const input = await readInput(required(v, 'input'), size);
  const grey = await readMask(args, input);
  const guideImage = typeof v.guide === 'string' ? await readInput(v.guide, undefined) : undefined;
  const runner = await start();
  const guide = guideImage && guideOf(runner, guideImage, params);
  const settings = parseSettings({ mode: 'dream', dream: params, mask: maskSettings });
  const tiler = tilerFor(args, runner, BUILT_IN_MODES.layers(settings));
  const x = toModel(input);
  const mask = maskOn(grey);
  const still = stillOf(settings, { runner, content: x, styles: [], guide: guide?.features, mask }, params.stepsPerOctave, tiler);
  x.dispose();
  const { session } = still;
  const megapixels: number[] = [];
  const times = await drive(args, session, still.steps, 'dream', { probe: tiler.probe, area: still.area, megapixels });
  await save(output, format, session.image, lookOf({ mode: 'dream', dream: params, mask: maskSettings }, size, undefined, await maskLook(grey)));
  const [, height, width] = session.image.shape;
  summary(args, times, { output, octaves: still.steps / params.stepsPerOctave, ...tiling(tiler, still.tiles(), times, megapixels, width, height) });
  session.dispose();
  mask?.dispose();
  tiler.dispose();
  guide?.dispose();
}

/**
 * The summary's tiling figures: the tile side, how many tiles the final size took (1: not tiled), the high-water
 * mark of tf.memory().numBytes sampled after each tile's forward pass and gradient and after each step (an untiled
 * step is sampled only after it, so its own peak is not seen), and the wall time of all steps over the megapixels
 * they worked on (each step counts its picture's area).
 */
function tiling(tiler: Tiler, tiles: number, times: number[], megapixels: number[], width: number, height: number): Record<string, unknown> {
  const ms = times.reduce((a, b) => a + b, 0);
  const mp = megapixels.reduce((a, b) => a + b, 0);
  return { width, height, tile: tiler.options.tile, tiles, peak_tensor_bytes: tiler.probe?.peak ?? 0, ms_per_megapixel: Number((ms / Math.max(mp, 1e-9)).toFixed(1)) };
}

/** The guide image's features at the dream's layers, computed once for the whole render. */
function guideOf(runner: ModelRunner, image: RgbImage, params: DreamParams): Guide {
  const x = toModel(image);
  try {
    return new Guide(runner, x, params.layers.map((l) => l.name));
  } finally {
    x.dispose();
  }
}

async function runStyle(args: CliArgs, start: Start): Promise<void> {
  const v = args.values;
  const output = required(v, 'output');
  const format = outputFile(output);
  const params = styleOptions(args);
  const iterations = count(v, 'iterations', 200);
  const maskSettings = maskOptions(args);
  const size = sizeOption(args);
  tileOption(args);
  const styleFiles = required(v, 'style').split(',').map((f) => f.trim()).filter(Boolean);
  const shares = params.styleBlend;
  const two = maskSettings.outside === 'other';
  if (two && styleFiles.length !== 2) throw new UsageError(`--outside other takes two --style images, the first for inside the mask (got ${styleFiles.length})`);
  if (two && args.settings.has('style.styleBlend')) throw new UsageError('--style-blend and --outside other do not go together: each region takes one painting');
  if (shares.length > 1 && shares.length !== styleFiles.length)
    throw new UsageError(`--style-blend gives ${shares.length} shares for ${styleFiles.length} style images`);
  const contentImage = await readInput(required(v, 'content'), size);
  const grey = await readMask(args, contentImage);
  const styleImages = await Promise.all(styleFiles.map((f) => readInput(f, size)));
  const runner = await start();
  // Several paintings and one share each: equal shares, written into the look so the app blends them alike.
  const style = { ...params, styleBlend: shares.length > 1 || two ? shares : styleFiles.map(() => 1) };
  const settings = parseSettings({ mode: 'style', style, mask: maskSettings });
  const tiler = tilerFor(args, runner, BUILT_IN_MODES.layers(settings));
  const content = toModel(contentImage);
  const styles = styleImages.map(toModel);
  const mask = maskOn(grey) ?? null;
  const still = stillOf(settings, { runner, content, styles, guide: undefined, mask }, iterations, tiler);
  tf.dispose([content, ...styles]);
  const session = still.session;
  const megapixels: number[] = [];
  const times = await drive(args, session, still.steps, 'style', { probe: tiler.probe, area: still.area, megapixels });
  const shown = session.display();
  await save(output, format, shown, lookOf({ mode: 'style', style, mask: maskSettings }, size, undefined, await maskLook(grey)));
  const [, height, width] = shown.shape;
  shown.dispose();
  summary(args, times, { output, ...tiling(tiler, still.tiles(), times, megapixels, width, height) });
  session.dispose();
  mask?.dispose();
  tiler.dispose();
}

async function runZoom(args: CliArgs, start: Start): Promise<void> {
  const v = args.values;
  const video = typeof v.output === 'string' ? v.output : undefined;
  if (video !== undefined && v['output-dir'] !== undefined) throw new UsageError('zoom takes --output (a video) or --output-dir (PNG frames), not both');
  if (video === undefined && v.fps !== undefined && v.audio === undefined) throw new UsageError('--fps is for a video --output (or the frame rate --audio is followed at)');
  const dir = video === undefined ? required(v, 'output-dir') : '';
  const fps = count(v, 'fps', 30, 1, 240);
  const preset = audioPreset(v);
  const givenFrames = v.frames === undefined ? undefined : count(v, 'frames', 60);
  const stepsPerFrame = count(v, 'steps-per-frame', 5, 1, MAX_STEPS_PER_FRAME);
  const baseDream = dreamOptions(args);
  const baseStream = streamOptions(args);
  const size = sizeOption(args);
  tileOption(args);
  if (video === undefined) outputDir(dir);
  else outputVideo(video);
  const maskSettings = maskOptions(args);
  const input = await readInput(required(v, 'input'), size);
  const soundtrack = preset && (await readSoundtrack(v.audio as string, preset, fps, givenFrames, settingsOf(args.settings).audio.mappings));
  const frames = givenFrames ?? soundtrack?.frames ?? 60;
  const paramsFor = (f: number) => frameParams({ dream: baseDream, stream: baseStream }, soundtrack?.drive, f);
  let { dream, stream } = paramsFor(0);
  const grey = await readMask(args, input);
  const maskText = await maskLook(grey);
  const guideImage = typeof v.guide === 'string' ? await readInput(v.guide, undefined) : undefined;
  const runner = await start();
  const guide = guideImage && guideOf(runner, guideImage, dream);
  const x = toModel(input);
  const tiler = tilerFor(args, runner, dream.layers.map((l) => l.name));
  const session = new StreamSession(runner, x, dream, stream, { guide: guide?.features, tiler });
  const mask = maskOn(grey) ?? null;
  session.setRegions(dreamRegions(parseSettings({ dream, mask: maskSettings }), mask));
  x.dispose();
  const [height, width] = session.size;
  const plan = tiler.shares(height, width, dream.layers.map((l) => l.name))?.plan;
  const tiles = { tile: tiler.options.tile, tiles: plan ? tileCount(plan) : 1 };
  const audioTrack = soundtrack ? { audioFrom: soundtrack.path, duration: frames / fps } : {};
  const encoder = video === undefined ? undefined : new VideoEncoder({ output: video, width, height, rate: String(fps), ...audioTrack });
  const progress = new Progress(frames, 'zoom', args.json);
  const times: number[] = [];
  let t0 = performance.now();
  try {
    await renderFrames(session, { frames, stepsPerFrame }, async (f, image, losses) => {
      const loss = losses ? (await losses.data())[0]! : 0;
      let file: string | undefined;
      if (encoder) await encoder.write(await rgbBytes(image));
      else {
        file = join(dir, `frame_${String(f).padStart(5, '0')}.png`);
        await save(file, 'png', image, lookOf({ mode: 'dream', dream, stream, stepsPerFrame, mask: maskSettings }, size, f, maskText));
      }
      const now = performance.now();
      times.push((now - t0) / stepsPerFrame);
      t0 = now;
      emit(args, { step: f, frame: f, loss, ...(file ? { file } : {}) });
      progress.update(f + 1, `loss ${loss.toPrecision(4)}`);
      if (soundtrack) {
        ({ dream, stream } = paramsFor(f + 1));
        session.setParams(dream, stream);
      }
    });
    await encoder?.finish();
  } catch (e) {
    encoder?.abort();
    throw e;
  } finally {
    progress.finish();
    session.dispose();
    tiler.dispose();
    mask?.dispose();
    guide?.dispose();
  }
  // `audio` says whether the video carries a track, as in video's summary.
  const music = soundtrack ? { audio: video !== undefined, audio_map: soundtrack.preset } : {};
  summary(args, times, video === undefined ? { output_dir: dir, frames, ...tiles, ...music } : { output: video, frames, fps, width: width & ~1, height: height & ~1, ...tiles, ...music });
}

/** A model-space picture as interleaved 8-bit RGB, the encoder's raw frame. */
async function rgbBytes(image: tf.Tensor4D): Promise<Uint8Array> {
  const bytes = modelToBytes(image);
  try {
    return Uint8Array.from(await bytes.data());
  } finally {
    bytes.dispose();
  }
}

/**
 * The working size of a video: exactly W×H with --size WxH, the long side N with --size N (the aspect kept), else
 * the video's own size with its long side at most MAX_SIDE; sides even (the encoder's 4:2:0 needs them).
 */
function videoSize(args: CliArgs, width: number, height: number): [number, number] {
  const size = sizeOption(args);
  const text = typeof args.values.size === 'string' ? args.values.size : '';
  if (size && /[x×]/i.test(text)) return [size.height + (size.height % 2), size.width + (size.width % 2)];
  return workingSize(height, width, size ? size.width : Math.min(MAX_SIDE, Math.max(width, height)));
}

async function runVideo(args: CliArgs, start: Start): Promise<void> {
  const v = args.values;
  const inputPath = required(v, 'input');
  const output = required(v, 'output');
  const flowText = v.flow ?? 'on';
  if (flowText !== 'on' && flowText !== 'off') throw new UsageError(`--flow must be on or off (got "${String(flowText)}")`);
  const flow = flowText === 'on';
  const stepsPerFrame = count(v, 'steps-per-frame', 2, 0, MAX_STEPS_PER_FRAME);
  const pull = number(v, 'pull');
  if (pull !== undefined && !(pull >= 0 && pull <= 1)) throw new UsageError(`--pull must be from 0 to 1 (got ${pull})`);
  const { colourGuard } = streamOptions(args);
  const dream = dreamOptions(args);
  sizeOption(args);
  outputVideo(output);
  const info = await probeVideo(inputPath);
  const [height, width] = videoSize(args, info.width, info.height);
  const maskSettings = maskOptions(args);
  const grey = await readMask(args, { width, height });
  const guideImage = typeof v.guide === 'string' ? await readInput(v.guide, undefined) : undefined;
  const runner = await start();
  const guide = guideImage && guideOf(runner, guideImage, dream);
  const options = { flow, stepsPerFrame, colourGuard, ...(pull === undefined ? {} : { pull }) };
  const mask = maskOn(grey) ?? null;
  const regions = dreamRegions(parseSettings({ dream, mask: maskSettings }), mask);
  const dreamer = new VideoDreamer(runner, dream, [height, width], options, guide?.features, regions);
  const encoder = new VideoEncoder({ output, width, height, rate: info.rate, audioFrom: info.audio ? inputPath : undefined });
  const progress = new Progress(info.frames, 'video', args.json);
  const times: number[] = [];
  const begun = performance.now();
  try {
    for await (const rgb of decodeFrames(inputPath, width, height)) {
      const t0 = performance.now();
      const frame = tf.tidy(() => pixelsToModel(tf.tensor3d(Int32Array.from(rgb), [height, width, 3], 'int32')));
      const dreamed = dreamer.frame(frame);
      frame.dispose();
      const bytes = await rgbBytes(dreamed);
      dreamed.dispose();
      await encoder.write(bytes);
      const now = performance.now();
      times.push(now - t0);
      const f = times.length - 1;
      const etaS = ((now - begun) / times.length) * Math.max(0, info.frames - times.length) / 1000;
      emit(args, { frame: f, frames: info.frames, ms: Number((now - t0).toFixed(1)), eta_s: Number(etaS.toFixed(1)) });
      progress.update(f + 1, `${(now - t0).toFixed(0)} ms/frame`);
    }
    await encoder.finish();
  } catch (e) {
    encoder.abort();
    throw e;
  } finally {
    progress.finish();
    dreamer.dispose();
    mask?.dispose();
    guide?.dispose();
  }
  const warm = times.length > 1 ? times.slice(1) : times;
  const msPerFrame = warm.reduce((a, b) => a + b, 0) / Math.max(1, warm.length);
  emit(args, {
    done: true,
    backend: tf.getBackend(),
    output,
    frames: times.length,
    width,
    height,
    fps: info.fps,
    audio: info.audio,
    flow,
    steps_per_frame: stepsPerFrame,
    ms_per_frame: Number(msPerFrame.toFixed(1)),
    first_frame_ms: Number((times[0] ?? 0).toFixed(1)),
  });
  if (!args.json) console.error(`done on ${tf.getBackend()}: ${times.length} frames at ${width}×${height}, ${msPerFrame.toFixed(0)} ms/frame`);
}

/** Runs the command `args` names, its flags already checked (render.ts); throws what went wrong. */
export async function runCommand(args: CliArgs): Promise<void> {
  const engine = engineFor(args.backend);
  try {
    const report = (line: Record<string, unknown>) => (args.json ? emit(args, line) : typeof line.output === 'string' && console.log(`wrote ${line.output}`));
    const start = engine.start;
    const runs: Record<Command, () => Promise<void>> = {
      dream: () => runDream(args, start),
      style: () => runStyle(args, start),
      zoom: () => runZoom(args, start),
      video: () => runVideo(args, start),
      features: () => runFeatures(args, start, report),
      saliency: () => runSaliency(args, start, report),
      filters: () => runFilters(args, start, report),
    };
    await runs[args.command]();
  } finally {
    engine.dispose();
  }
}
