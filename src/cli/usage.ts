/**
 * The usage text, generated: the commands and their own options from commands.ts, the settings flags from the
 * schema (grouped by section, each with its range and default), so it cannot drift from what the CLI takes.
 */
import { formatLayerList, type LayerWeight } from '../engine/params/lists';
import { COMMAND_NAMES, COMMANDS, OPTIONS, type Command } from './commands';
import type { FlagSpec } from './flags';
import { FLAGS, flagsOf, settingNames } from './settings-flags';

const RULE = `Settings flags are the app's settings (src/engine/params/), checked by its schema; every PNG carries them
as its look. A field section.someKey is --section-some-key, and --some-key where no other flag of the command has
that name; an on/off field also takes --no-…. Layer lists are L[:W],… (weight 1 when not given), e.g. mixed3,mixed5:0.5.`;

const NOTES = `Pictures larger than a tile are computed tile by tile. A flag of another command, or an old spelling
(zoom --steps), is refused with the one to use. Drop a PNG on the app to dream on with its look.`;

/** What a flag takes, as the usage writes it. */
function placeholder(flag: FlagSpec): string {
  const k = flag.kind;
  if (k.type === 'number') return k.integer ? 'N' : 'X';
  if (k.type === 'enum') return k.values.join('|');
  if (k.type === 'layers') return 'L[:W],…';
  if (k.type === 'numbers') return 'X,X…';
  if (k.type === 'mappings') return 'F:TARGET:AMOUNT[:ATTACK:RELEASE[:CURVE]],…';
  return k.type === 'boolean' ? '' : 'TEXT';
}

function range(flag: FlagSpec): string {
  const k = flag.kind;
  return k.type === 'number' || k.type === 'numbers' ? `${k.min}–${k.max}` : '';
}

function shown(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value) && value.length === 0) return 'none';
  if (Array.isArray(value) && value.every((v) => typeof v === 'object')) return formatLayerList(value as LayerWeight[]);
  return Array.isArray(value) ? value.join(',') : String(value);
}

const pad = (text: string, width: number) => (text.length >= width ? `${text}  ` : text.padEnd(width));

/** The commands that read a flag, where not every command reading its section does. */
function only(flag: FlagSpec, section: readonly Command[]): string {
  const by = section.filter((c) => flagsOf(c).includes(flag));
  return by.length < section.length ? `, ${by.join(' and ')} only` : '';
}

/** A flag's names in `command`, the short one first: the names people type, the long one last. */
function namesOf(flag: FlagSpec, command: Command): string[] {
  const names = [...settingNames(command)].filter(([, n]) => n.flag === flag && !n.negated).map(([name]) => `--${name}`);
  return [...names.slice(1), names[0]!];
}

/** The settings flags some command reads, by section in the schema's order ('general': top-level fields). */
function settingsLines(): string[] {
  const sections = new Map<string, FlagSpec[]>();
  for (const f of FLAGS.filter((f) => COMMAND_NAMES.some((c) => flagsOf(c).includes(f)))) {
    const section = f.path.includes('.') ? f.path.split('.')[0]! : 'general';
    sections.set(section, [...(sections.get(section) ?? []), f]);
  }
  return [...sections].flatMap(([section, flags]) => {
    const commands = COMMAND_NAMES.filter((c) => flagsOf(c).some((f) => flags.includes(f)));
    const lines = flags.map((f) => {
      const [first, ...rest] = namesOf(f, commands.find((c) => flagsOf(c).includes(f))!);
      const facts = [range(f), f.fallback === undefined ? '' : `default ${shown(f.fallback)}`].filter(Boolean).join(', ');
      const about = f.description ? `; ${f.description}` : '';
      return `  ${pad(`${first} ${placeholder(f)}`, 30)}${facts}${only(f, commands)}${about} (${rest.join(', ')})`;
    });
    return ['', `${section} settings (${commands.join(', ')}):`, ...lines];
  });
}

function optionLines(): string[] {
  return Object.entries(OPTIONS).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`;
    return `  ${pad(flag, 26)}${pad(o.commands ? o.commands.join(' ') : 'all', 18)}${o.about}`;
  });
}

export const USAGE = [
  'usage: npm run render -- <command> [flags]',
  '',
  'commands:',
  ...COMMAND_NAMES.map((c) => `  ${pad(c, 7)}${COMMANDS[c].about}: ${COMMANDS[c].synopsis}`),
  '',
  'command flags:',
  ...optionLines(),
  '',
  RULE,
  ...settingsLines(),
  '',
  NOTES,
].join('\n');
