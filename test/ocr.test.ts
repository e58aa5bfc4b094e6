import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../fixtures/data/random.ts';
import { renderTextPng } from '../fixtures/text-image.ts';
import { useBrowser } from './support/browser.ts';
import { TESSDATA } from './support/ocr.ts';
import { readCaptcha } from '../runner/ocr/captcha.ts';
import { preprocess, screenshotElement } from '../runner/ocr/image.ts';
import { OcrPool, OcrSetupError } from '../runner/ocr/ocr.ts';

const CAPTCHA_ALPHABET = 'ABCDEFHJKMNPRSTUVWXYZ2345678';
const UPPER_AND_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Numbers as a legacy page draws them: 20px text in a PNG, enlarged for tesseract. */
const numberImage = (text: string) => preprocess(renderTextPng(text, { fontSize: 20 }));

/** The fixture login's captcha for `seed`: its answer and its image. */
function seededCaptcha(seed: number): { answer: string; png: Buffer } {
  const random = new SeededRandom(seed);
  const answer = Array.from({ length: 4 }, () => random.pick([...CAPTCHA_ALPHABET])).join('');
  return { answer, png: renderTextPng(answer, { fontSize: 28, noise: random }) };
}

describe('OcrPool', () => {
  const pool = new OcrPool({ tessdataDir: TESSDATA, size: 2 });
  const browser = useBrowser();
  afterAll(() => pool.close());

  it('starts no worker until the first read', () => {
    expect(new OcrPool({ tessdataDir: TESSDATA }).stats()).toEqual({ workers: 0, jobsDone: 0, recycled: 0 });
  });

  it('reads an 18-digit ID number drawn as an image', async () => {
    for (const id of ['32010419951216974X', '11010519491231002X', '440524188001010014']) {
      expect(await pool.read(await numberImage(id), { whitelist: '0123456789X' })).toBe(id);
    }
  });

  it('reads a permit number with letters and digits', async () => {
    expect(await pool.read(await numberImage('JZ202600001234'), { whitelist: UPPER_AND_DIGITS })).toBe('JZ202600001234');
  });

  it('keeps each read\'s whitelist to that read, even when reads run at once', async () => {
    const [digitsOnly, unrestricted, permit] = await Promise.all([
      pool.read(await numberImage('JZ202600001234'), { whitelist: '0123456789' }),
      pool.read(await numberImage('JZ202600001234')),
      pool.read(await numberImage('JZ202600001234'), { whitelist: UPPER_AND_DIGITS }),
    ]);
    expect(digitsOnly).toMatch(/^\d+$/);
    expect(unrestricted).toBe('JZ202600001234');
    expect(permit).toBe('JZ202600001234');
  });

  it('fails only the read whose bytes are not an image', async () => {
    await expect(pool.read(Buffer.from('not a png'))).rejects.toThrow('tesseract could not read the image');
    expect(await pool.read(await numberImage('JZ202600001234'), { whitelist: UPPER_AND_DIGITS })).toBe('JZ202600001234');
  });

  it('reads Chinese text with chi_sim', async () => {
    const png = renderTextPng('北京市朝阳区人民政府', { fontSize: 28 });
    expect(await pool.read(png, { lang: 'chi_sim' })).toBe('北京市朝阳区人民政府');
  });

  it('solves at least 80% of a fixed set of seeded captchas', async () => {
    const captchas = Array.from({ length: 50 }, (_, index) => seededCaptcha(1000 + index));
    let solved = 0;
    for (const { answer, png } of captchas) {
      if ((await readCaptcha(pool, png, { alphabet: CAPTCHA_ALPHABET, length: 4 })) === answer) solved++;
    }
    expect(solved / captchas.length).toBeGreaterThanOrEqual(0.8);
  });

  it('reads a number from an element screenshot in the browser', async () => {
    const page = await browser().newPage();
    try {
      const src = `data:image/png;base64,${renderTextPng('440524188001010014', { fontSize: 20 }).toString('base64')}`;
      await page.setContent(`<p>身份证号 <img class="num" src="${src}"></p>`);
      const png = await preprocess(await screenshotElement(page.locator('img.num')));
      expect(await pool.read(png, { whitelist: '0123456789X' })).toBe('440524188001010014');
    } finally {
      await page.close();
    }
  });
});

describe('when workers reach recycleAfterJobs', () => {
  it('replaces them and keeps reading correctly', async () => {
    const pool = new OcrPool({ tessdataDir: TESSDATA, recycleAfterJobs: 2 });
    try {
      const png = await numberImage('320104199512169740');
      const reads = [];
      for (let i = 0; i < 5; i++) reads.push(await pool.read(png, { whitelist: '0123456789X' }));
      expect(reads).toEqual(Array(5).fill('320104199512169740'));
      expect(pool.stats()).toEqual({ workers: 1, jobsDone: 5, recycled: 2 });
    } finally {
      await pool.close();
    }
    expect(pool.stats().workers).toBe(0);
  });
});

describe('when language data is missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-tessdata-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the missing directory and the packages to install', async () => {
    const pool = new OcrPool({ tessdataDir: join(dir, 'nowhere') });
    const error = await pool.read(renderTextPng('1')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OcrSetupError);
    expect(error).toMatchObject({ name: 'OcrSetupError', message: expect.stringContaining('apt-get install tesseract-ocr-eng tesseract-ocr-chi-sim') });
    expect(pool.stats().workers).toBe(0);
  });

  it('names the missing language file', async () => {
    copyFileSync(join(TESSDATA, 'eng.traineddata'), join(dir, 'eng.traineddata'));
    const pool = new OcrPool({ tessdataDir: dir });
    await expect(pool.read(renderTextPng('1'))).rejects.toThrow(`${join(dir, 'chi_sim.traineddata')} is missing`);
  });

  it('rejects a file without an LSTM model before tesseract loads it', async () => {
    writeFileSync(join(dir, 'chi_sim.traineddata'), 'not a model');
    const pool = new OcrPool({ tessdataDir: dir });
    await expect(pool.read(renderTextPng('1'))).rejects.toThrow(/chi_sim\.traineddata has no LSTM model/);
  });

  it('refuses a language the pool was not set up for', async () => {
    const pool = new OcrPool({ tessdataDir: TESSDATA, langs: ['eng'] });
    await expect(pool.read(renderTextPng('北京'), { lang: 'chi_sim' })).rejects.toThrow(OcrSetupError);
  });
});
