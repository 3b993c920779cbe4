import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { bindingForCc, MIDI_BINDINGS_KEY, parseBindings, serialiseBindings, unbind, type Bindings } from '../midi/bindings';
import { LEARN_OFF, receiveCc, toggleLearn, touch, type LearnState } from '../midi/learn';
import { parseMidi } from '../midi/midi-message';

/**
 * Where Web MIDI stands: not asked yet (no prompt until the person wants MIDI), being asked, open, or not to be had
 * (no Web MIDI in this browser, the person said no, or it failed).
 */
export type MidiStatus = 'idle' | 'pending' | 'ready' | 'unsupported' | 'denied' | 'failed';

export interface MidiPorts {
  /** A bound knob moved: its setting's path and the knob's 0–127. */
  move(path: string, cc: number): void;
  /** A key or pad struck. */
  note(): void;
}

/** What the controller takes from the browser; tests hand in a fake MIDI access and storage. */
export interface MidiEnv {
  requestMIDIAccess: ((options?: MIDIOptions) => Promise<MIDIAccess>) | null;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export function browserMidiEnv(): MidiEnv {
  const nav = typeof navigator === 'undefined' ? null : navigator;
  const request = nav && typeof nav.requestMIDIAccess === 'function' ? nav.requestMIDIAccess.bind(nav) : null;
  let storage: Storage | null = null;
  try {
    storage = typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // A sandboxed frame: bindings last for this page only.
  }
  return { requestMIDIAccess: request, storage };
}

/**
 * Knobs and faders: listens to every MIDI input, and to inputs plugged in later, and turns their Control Changes
 * into moves of the settings bound to them (MIDI learn binds them: learn.ts). Bindings are kept per browser.
 * MIDI access is asked for when learning starts, or at once where bindings were kept (the person uses MIDI here).
 */
export class MidiController implements ReactiveController {
  status: MidiStatus = 'idle';
  /** Why MIDI failed, when it did for a reason other than a refusal. */
  failure = '';
  learn: LearnState = LEARN_OFF;
  bindings: Bindings = [];
  private access: MIDIAccess | null = null;
  private readonly inputs = new Set<MIDIInput>();
  private env: MidiEnv | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly ports: MidiPorts,
    private readonly makeEnv: () => MidiEnv = browserMidiEnv,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const env = (this.env = this.makeEnv());
    try {
      this.bindings = parseBindings(env.storage?.getItem(MIDI_BINDINGS_KEY));
    } catch {
      this.bindings = [];
    }
    if (!env.requestMIDIAccess) this.status = 'unsupported';
    else if (this.access) this.listen(this.access);
    else if (this.bindings.length > 0) void this.open();
  }

  hostDisconnected(): void {
    for (const input of this.inputs) input.removeEventListener('midimessage', this.onMessage);
    this.inputs.clear();
    this.access?.removeEventListener('statechange', this.onStateChange);
  }

  /** How many inputs are plugged in now (0 before MIDI is open). */
  get inputCount(): number {
    return this.access ? [...this.access.inputs.values()].filter((i) => i.state === 'connected').length : 0;
  }

  toggleLearn(): void {
    this.learn = toggleLearn(this.learn);
    if (this.learn.on && this.status === 'idle') void this.open();
    this.host.requestUpdate();
  }

  /** A control touched: while learning, the next knob turned binds it. */
  touch(path: string): void {
    const next = touch(this.learn, path);
    if (next === this.learn) return;
    this.learn = next;
    this.host.requestUpdate();
  }

  unbind(path: string): void {
    this.setBindings(unbind(this.bindings, path));
  }

  private async open(): Promise<void> {
    const request = this.env?.requestMIDIAccess;
    if (!request) return;
    this.status = 'pending';
    this.host.requestUpdate();
    try {
      const access = await request({ sysex: false });
      this.access = access;
      this.status = 'ready';
      this.listen(access);
    } catch (e) {
      const name = e instanceof Error || e instanceof DOMException ? e.name : '';
      this.status = name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'failed';
      this.failure = e instanceof Error ? e.message : String(e);
      // Nothing can be learned: the panel leaves learning rather than wait for a knob that cannot come.
      this.learn = LEARN_OFF;
    }
    this.host.requestUpdate();
  }

  private listen(access: MIDIAccess): void {
    access.inputs.forEach((input) => this.attach(input));
    access.addEventListener('statechange', this.onStateChange);
  }

  private attach(input: MIDIInput): void {
    if (this.inputs.has(input)) return;
    this.inputs.add(input);
    input.addEventListener('midimessage', this.onMessage);
    // A listener added with addEventListener does not open the port in every browser; open() does.
    input.open?.().catch(() => undefined);
  }

  private readonly onStateChange = (e: Event): void => {
    const port = (e as MIDIConnectionEvent).port;
    if (port?.type === 'input' && port.state === 'connected') this.attach(port as MIDIInput);
    this.host.requestUpdate();
  };

  private readonly onMessage = (e: Event): void => {
    const msg = parseMidi((e as MIDIMessageEvent).data);
    if (!msg) return;
    if (msg.type === 'note') {
      this.ports.note();
      return;
    }
    const outcome = receiveCc(this.learn, this.bindings, msg);
    if (outcome.kind === 'bound') {
      this.learn = outcome.state;
      this.setBindings(outcome.bindings);
      return;
    }
    const binding = bindingForCc(this.bindings, msg);
    if (binding) this.ports.move(binding.path, msg.value);
  };

  private setBindings(next: Bindings): void {
    this.bindings = next;
    try {
      this.env?.storage?.setItem(MIDI_BINDINGS_KEY, serialiseBindings(next));
    } catch {
      // Storage refused: the bindings last for this page only.
    }
    this.host.requestUpdate();
  }
}
