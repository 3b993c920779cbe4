import { decodeLook, encodeLook, type Look } from '../../engine/params/look';

/** A look as a JSON file, in the one versioned form every dreamstream writer uses (engine/params/look.ts). */
export function downloadLook(look: Look, name = 'dreamstream-look.json'): void {
  download(new Blob([encodeLook(look)], { type: 'application/json' }), name);
}

/** The look in a file of any version written so far; throws a LookError fit to show when it is not one. */
export async function readLookFile(file: Blob): Promise<Look> {
  return decodeLook(await file.text());
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
