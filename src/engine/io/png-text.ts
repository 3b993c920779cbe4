/**
 * PNG tEXt chunks: snapshots carry the settings that made them, so dropping the PNG back restores the look.
 * Pure byte manipulation (Uint8Array), shared by the browser and the Node renderer.
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

function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** JSON and other text is stored as UTF-8 escaped to ASCII, which tEXt's Latin-1 carries losslessly. */
function asciiSafe(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function textChunk(key: string, value: string): Uint8Array {
  const body = new Uint8Array([...latin1('tEXt'), ...latin1(key), 0, ...latin1(asciiSafe(value))]);
  const out = new Uint8Array(body.length + 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length - 4);
  out.set(body, 4);
  view.setUint32(4 + body.length, crc32(body));
  return out;
}

/** Inserts tEXt chunks right after IHDR. */
export function addTextChunks(png: Uint8Array, text: Record<string, string>): Uint8Array {
  if (!isPng(png)) throw new Error('not a PNG');
  const ihdrEnd = 8 + 8 + new DataView(png.buffer, png.byteOffset).getUint32(8) + 4;
  const chunks = Object.entries(text).map(([k, v]) => textChunk(k, v));
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

/** Reads every tEXt chunk; a damaged file yields what could be read before the damage. */
export function readTextChunks(png: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPng(png)) return out;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  while (at + 8 <= png.length) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (at + 12 + len > png.length) break;
    if (type === 'tEXt') {
      const data = png.subarray(at + 8, at + 8 + len);
      const zero = data.indexOf(0);
      if (zero > 0) {
        const key = String.fromCharCode(...data.subarray(0, zero));
        const raw = Array.from(data.subarray(zero + 1), (b) => String.fromCharCode(b)).join('');
        out[key] = raw.replace(/\\u([0-9a-f]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
      }
    }
    if (type === 'IEND') break;
    at += 12 + len;
  }
  return out;
}
