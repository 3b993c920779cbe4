/**
 * PNG text chunks: snapshots and renders carry the settings that made them, so dropping the PNG back restores the
 * look. Written as iTXt (UTF-8, uncompressed), which any PNG tool reads as the text it is; read from iTXt and from
 * the tEXt chunks written before, whose text was escaped to ASCII. Pure byte manipulation (Uint8Array), shared by
 * the browser and the Node renderer.
 */
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length > 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Keywords and chunk types are Latin-1 (the PNG spec); a keyword is 1–79 bytes. */
function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

const fromLatin1 = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');

/**
 * An iTXt chunk: keyword, NUL, compression flag 0 and method 0, an empty language tag and translated keyword (each
 * ended by NUL), then the text as UTF-8.
 */
function itxtChunk(key: string, value: string): Uint8Array {
  const body = new Uint8Array([...latin1('iTXt'), ...latin1(key), 0, 0, 0, 0, 0, ...new TextEncoder().encode(value)]);
  const out = new Uint8Array(body.length + 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length - 4);
  out.set(body, 4);
  view.setUint32(4 + body.length, crc32(body));
  return out;
}

/** Inserts iTXt chunks right after IHDR. */
export function addTextChunks(png: Uint8Array, text: Record<string, string>): Uint8Array {
  if (!isPng(png)) throw new Error('not a PNG');
  const ihdrEnd = 8 + 8 + new DataView(png.buffer, png.byteOffset).getUint32(8) + 4;
  const chunks = Object.entries(text).map(([k, v]) => itxtChunk(k, v));
  const size = png.length + chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(size);
  out.set(png.subarray(0, ihdrEnd), 0);
  let at = ihdrEnd;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  out.set(png.subarray(ihdrEnd), at);
  return out;
}

/** A tEXt chunk's text. Ours were written with every character outside printable ASCII as a `\uXXXX` escape. */
function textOf(data: Uint8Array): string {
  return fromLatin1(data).replace(/\\u([0-9a-f]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** An iTXt chunk's text (after its keyword); undefined when compressed, which no writer of looks does. */
function itxtOf(data: Uint8Array): string | undefined {
  if (data[0] !== 0) return undefined;
  const language = data.indexOf(0, 2);
  const translated = language < 0 ? -1 : data.indexOf(0, language + 1);
  return translated < 0 ? undefined : new TextDecoder().decode(data.subarray(translated + 1));
}

/** Reads every tEXt and uncompressed iTXt chunk; a damaged file yields what could be read before the damage. */
export function readTextChunks(png: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPng(png)) return out;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  while (at + 8 <= png.length) {
    const len = view.getUint32(at);
    const type = fromLatin1(png.subarray(at + 4, at + 8));
    if (at + 12 + len > png.length) break;
    if (type === 'tEXt' || type === 'iTXt') {
      const data = png.subarray(at + 8, at + 8 + len);
      const zero = data.indexOf(0);
      const text = zero <= 0 ? undefined : type === 'tEXt' ? textOf(data.subarray(zero + 1)) : itxtOf(data.subarray(zero + 1));
      if (text !== undefined) out[fromLatin1(data.subarray(0, zero))] = text;
    }
    if (type === 'IEND') break;
    at += 12 + len;
  }
  return out;
}
