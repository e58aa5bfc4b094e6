/**
 * Getting an image ready for OCR: take it from the page, upscale it (tesseract reads
 * small text badly) and binarise it (drops a captcha's light noise lines and dots).
 */
import { type Canvas, createCanvas, loadImage } from '@napi-rs/canvas';
import type { Locator } from 'playwright-core';

export interface PreprocessOptions {
  /** Factor to enlarge the image by; 20px digits read best at about 40px. @defaultValue 2 */
  scale?: number;
  /** Luminance (0–255) below which a pixel counts as ink; unset keeps the greys. */
  threshold?: number;
  /** White border to add on each side, in pixels of the result. @defaultValue 0 */
  padding?: number;
}

/** A binarised image: `ink[y * width + x]` is 1 for ink, 0 for background. */
export interface InkMask {
  width: number;
  height: number;
  ink: Uint8Array;
}

/** The PNG of an element as the user sees it, e.g. an `<img>` that shows a number. */
export async function screenshotElement(locator: Locator): Promise<Buffer> {
  return locator.screenshot({ type: 'png', animations: 'disabled' });
}

/** Upscales, optionally binarises and pads a PNG; returns a PNG. */
export async function preprocess(png: Buffer, options: PreprocessOptions = {}): Promise<Buffer> {
  const { scale = 2, threshold, padding = 0 } = options;
  if (threshold !== undefined) return maskToPng(await inkMask(png, { scale, threshold }), padding);
  return (await drawScaled(png, scale, padding)).toBuffer('image/png');
}

/** The ink of a PNG after scaling: pixels darker than `threshold`. Transparent pixels are background. */
export async function inkMask(png: Buffer, options: { scale?: number; threshold: number }): Promise<InkMask> {
  const canvas = await drawScaled(png, options.scale ?? 1, 0);
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  const ink = new Uint8Array(canvas.width * canvas.height);
  for (let i = 0; i < ink.length; i++) {
    const luminance = 0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2];
    ink[i] = luminance < options.threshold ? 1 : 0;
  }
  return { width: canvas.width, height: canvas.height, ink };
}

/** Black ink on white, with a white border of `padding` pixels. */
export function maskToPng(mask: InkMask, padding = 0): Buffer {
  const canvas = createCanvas(mask.width + 2 * padding, mask.height + 2 * padding);
  const context = canvas.getContext('2d');
  const image = context.createImageData(canvas.width, canvas.height);
  image.data.fill(255);
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (!mask.ink[y * mask.width + x]) continue;
      const offset = ((y + padding) * canvas.width + x + padding) * 4;
      image.data[offset] = image.data[offset + 1] = image.data[offset + 2] = 0;
    }
  }
  context.putImageData(image, 0, 0);
  return canvas.toBuffer('image/png');
}

/** The PNG drawn `scale` times larger on white, inside a white border of `padding` pixels. */
async function drawScaled(png: Buffer, scale: number, padding: number): Promise<Canvas> {
  const image = await loadImage(png);
  const width = Math.round(image.width * scale);
  const height = Math.round(image.height * scale);
  const canvas = createCanvas(width + 2 * padding, height + 2 * padding);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.imageSmoothingQuality = 'high';
  context.drawImage(image, padding, padding, width, height);
  return canvas;
}
