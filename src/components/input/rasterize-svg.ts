/** Whether a file is an SVG picture, by type or, for a file with no type, by its first bytes. */
export async function isSvg(blob: Blob): Promise<boolean> {
  if (blob.type === 'image/svg+xml') return true;
  if (blob.type && blob.type !== 'text/xml' && blob.type !== 'application/xml') return false;
  const head = await blob.slice(0, 1024).text();
  return /<svg[\s>]/i.test(head);
}

/**
 * Draws an SVG at `side` pixels on its long side (vectors are sharp at any size; one without a size of its own
 * becomes a square). createImageBitmap cannot decode SVG, an <img> can: it runs no script and loads nothing
 * from elsewhere, so the picture stays on this machine.
 */
export async function rasterizeSvg(blob: Blob, side: number): Promise<ImageBitmap> {
  const url = URL.createObjectURL(new Blob([blob], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const w0 = img.naturalWidth || side;
    const h0 = img.naturalHeight || side;
    const scale = side / Math.max(w0, h0);
    const w = Math.max(1, Math.round(w0 * scale));
    const h = Math.max(1, Math.round(h0 * scale));
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('2D canvas unavailable');
    // Transparent SVG areas show as white, as they do in a browser tab, not as black.
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(img, 0, 0, w, h);
    return await createImageBitmap(canvas);
  } catch {
    throw new Error('that SVG could not be drawn (is it a valid SVG file?)');
  } finally {
    URL.revokeObjectURL(url);
  }
}
