/**
 * The PNGs of `<img>` elements exactly as the page loaded them, copied out through a
 * canvas: pixel for pixel the served image, with no second request (which a system
 * may refuse for a one-time image key) and no screenshot (about 70 times slower).
 */
import type { Locator } from 'playwright-core';

/** One PNG per matched `<img>`, in order; null for an image that failed to load. */
export async function loadedImagePngs(images: Locator): Promise<(Buffer | null)[]> {
  const dataUrls = await images.evaluateAll((elements) => Promise.all(elements.map(async (element) => {
    const image = element as HTMLImageElement;
    const loaded = await image.decode().then(() => image.naturalWidth > 0, () => false);
    if (!loaded) return null;
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    canvas.getContext('2d')!.drawImage(image, 0, 0);
    return canvas.toDataURL('image/png');
  })));
  return dataUrls.map((url) => (url === null ? null : Buffer.from(url.slice(url.indexOf(',') + 1), 'base64')));
}
