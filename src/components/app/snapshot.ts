import { addTextChunks, isPng, readTextChunks } from '../../engine/io/png-text';
import { settingsSchema, type Settings } from '../../engine/params/settings';
import { download } from './look-io';

const KEY = 'dreamstream';

/** The PNG from the worker, with the settings embedded, offered as a download. */
export function downloadSnapshot(png: ArrayBuffer, settings: Settings): Blob {
  const bytes = addTextChunks(new Uint8Array(png), { [KEY]: JSON.stringify({ version: 1, settings }), Software: 'dreamstream' });
  const blob = new Blob([bytes as BlobPart], { type: 'image/png' });
  download(blob, `dreamstream-${new Date().toISOString().replace(/[:.]/g, '-')}.png`);
  return blob;
}

/** Settings embedded in a dreamstream snapshot, or null for any other file. */
export async function settingsFromSnapshot(file: Blob): Promise<Settings | null> {
  const head = new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer());
  if (!isPng(head)) return null;
  const raw = readTextChunks(new Uint8Array(await file.arrayBuffer()))[KEY];
  if (!raw) return null;
  try {
    const parsed = settingsSchema.safeParse((JSON.parse(raw) as { settings?: unknown }).settings);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
