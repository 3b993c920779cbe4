import { settingsSchema, type Settings } from '../../engine/params/settings';

/** A look as a JSON file: the settings, and the samples when they are built-in. */
export interface LookFile {
  dreamstream: 1;
  settings: Settings;
  content?: string;
  style?: string;
}

export function lookToJson(settings: Settings, content?: string, style?: string): string {
  const look: LookFile = { dreamstream: 1, settings, content, style };
  return JSON.stringify(look, null, 2);
}

/** Parses a look file; throws an Error fit to show when it is not one. */
export function lookFromJson(text: string): { settings: Settings; content?: string; style?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('not a JSON file');
  }
  const obj = raw as Partial<LookFile> | null;
  if (!obj || typeof obj !== 'object' || obj.dreamstream !== 1) throw new Error('not a dreamstream look (missing "dreamstream": 1)');
  const r = settingsSchema.safeParse(obj.settings);
  if (!r.success) throw new Error(`invalid look: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return { settings: r.data, content: typeof obj.content === 'string' ? obj.content : undefined, style: typeof obj.style === 'string' ? obj.style : undefined };
}

export function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
