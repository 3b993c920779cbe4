import { isPng } from '../../engine/io/png-text';
import { lookFromPng, withLook, type Look } from '../../engine/params/look';
import { download } from './look-io';

/** The PNG from the worker with the look embedded (the codec the CLI writes too), as a file. */
export function pngWithLook(png: ArrayBuffer, look: Look): Blob {
  return new Blob([withLook(new Uint8Array(png), look) as BlobPart], { type: 'image/png' });
}

/** A PNG's file name: dreamstream[-tag]-<time>.png. */
export function pngName(tag = ''): string {
  return `dreamstream${tag ? `-${tag}` : ''}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`;
}

/** The PNG from the worker, with the look embedded, offered as a download. */
export function downloadSnapshot(png: ArrayBuffer, look: Look, name = pngName()): Blob {
  const blob = pngWithLook(png, look);
  download(blob, name);
  return blob;
}

/**
 * The look embedded in a dreamstream PNG (a snapshot or a CLI render), null for any other file; a LookError when
 * the PNG carries a look this app cannot read. Only a PNG is read whole: its signature is checked first.
 */
export async function lookFromFile(file: Blob): Promise<Look | null> {
  if (!isPng(new Uint8Array(await file.slice(0, 64).arrayBuffer()))) return null;
  return lookFromPng(new Uint8Array(await file.arrayBuffer()));
}
