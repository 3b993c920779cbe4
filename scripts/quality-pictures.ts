/**
 * Hard pictures for the stream judge, drawn here so anyone can reproduce them: the kinds that broke long streams
 * (a graphic on white, a dark night sky, a page of text). Named like samples: `graphic`, `night`, `text`.
 */
import sharp from 'sharp';

const W = 320;
const H = 240;

/** A seeded uniform generator (Park–Miller), so every run draws the same stars. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

const svg = (body: string, background: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="${background}"/>${body}</svg>`;

/** A cartoon wizard on pure white: flat fills, black outlines, most of the frame at the gamut's edge. */
function graphic(): string {
  return svg(
    `<polygon points="160,20 110,130 210,130" fill="#3b2a8f" stroke="black" stroke-width="4"/>
     <circle cx="160" cy="160" r="42" fill="#f3c9a0" stroke="black" stroke-width="4"/>
     <circle cx="146" cy="152" r="5"/><circle cx="174" cy="152" r="5"/>
     <path d="M140 175 Q160 190 180 175" stroke="black" stroke-width="4" fill="none"/>
     <polygon points="150,185 170,185 160,235" fill="#ddd" stroke="black" stroke-width="3"/>
     <polygon points="45,30 52,48 70,48 56,58 61,76 45,65 29,76 34,58 20,48 38,48" fill="#f5c400"/>
     <polygon points="262,70 267,82 280,82 270,90 273,102 262,95 251,102 254,90 244,82 257,82" fill="#f5c400"/>`,
    'white',
  );
}

/** Near-black sky with faint stars and a moon over a black horizon. */
function night(): string {
  const r = lcg(7);
  let stars = '';
  for (let i = 0; i < 60; i++) stars += `<circle cx="${(r() * W).toFixed(1)}" cy="${(r() * H * 0.8).toFixed(1)}" r="${(0.5 + r() * 1.2).toFixed(2)}" fill="white" opacity="${(0.4 + r() * 0.6).toFixed(2)}"/>`;
  return svg(`${stars}<circle cx="250" cy="50" r="18" fill="#d8d8c8"/><rect y="205" width="${W}" height="35" fill="#020203"/>`, '#05070f');
}

/** A page of small black serif text on off-white. */
function text(): string {
  let lines = '';
  for (let i = 0; i < 14; i++) lines += `<text x="12" y="${20 + i * 16}" font-size="13" font-family="serif">Lorem ipsum dolor sit amet, consectetur adipiscing ${i}</text>`;
  return svg(lines, '#fbfaf5');
}

export const HARD_PICTURES: Readonly<Record<string, () => string>> = { graphic, night, text };

/** Writes the named hard picture as a PNG; false when `name` is not one of them. */
export async function drawHardPicture(name: string, path: string): Promise<boolean> {
  const draw = HARD_PICTURES[name];
  if (!draw) return false;
  await sharp(Buffer.from(draw())).png().toFile(path);
  return true;
}
