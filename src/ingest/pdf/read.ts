import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { PolicyBotError } from '../../errors.ts';
import type { PdfPage, TextRun } from './types.ts';

const require = createRequire(import.meta.url);

/**
 * pdf.js's bundled CMaps and standard fonts. They must be plain file-system paths with a trailing
 * separator: pdf.js under Node reads them with fs, and a file:// URL silently yields empty text for
 * the non-embedded Chinese fonts (GBK-EUC-H, UniGB-UCS2-H) that 公文 typesetting uses.
 */
function pdfjsAssets(): { cMapUrl: string; standardFontDataUrl: string } {
  const root = dirname(require.resolve('pdfjs-dist/package.json'));
  return { cMapUrl: join(root, 'cmaps') + sep, standardFontDataUrl: join(root, 'standard_fonts') + sep };
}

// pdf.js operator codes that paint an image (OPS.paintImageXObject, …); read from the module
const IMAGE_OPS = [
  'paintImageXObject',
  'paintInlineImageXObject',
  'paintImageMaskXObject',
  'paintImageXObjectRepeat',
  'paintInlineImageXObjectGroup',
  'paintImageMaskXObjectGroup',
  'paintImageMaskXObjectRepeat',
  'paintSolidColorImageMask',
];

/**
 * For a Type3 font, a function that drops the characters pdf.js made up. A Type3 glyph is a
 * drawing; when neither a ToUnicode entry nor its glyph name maps its code to a character (a
 * "!"-like mark named /G065), pdf.js reports the code itself as the character ("A"). Such
 * characters are dropped; one that a mapped code of the font also gives is kept. Undefined for
 * other fonts, and for a font whose map pdf.js does not expose (nothing is dropped then).
 */
export function type3Filter(font: unknown): ((text: string) => string) | undefined {
  const f = font as { isType3Font?: boolean; toUnicode?: { _map?: unknown } } | null;
  const map = f?.isType3Font ? f.toUnicode?._map : undefined;
  if (map === null || typeof map !== 'object') return undefined;
  const table = map as Record<number, unknown>;
  const given = new Set(Object.values(table).filter((v) => typeof v === 'string'));
  const madeUp = (ch: string): boolean =>
    ch.length === 1 && ch.charCodeAt(0) < 256 && table[ch.charCodeAt(0)] === undefined && !given.has(ch) && ch.trim() !== '';
  return (text) => [...text].filter((ch) => !madeUp(ch)).join('');
}

/**
 * Reads the text runs of every page with pdf.js (legacy build, the one that runs under Node),
 * without the characters pdf.js makes up for Type3 glyphs that have none (counted per page).
 * Throws INPUT_ENCRYPTED for a password-protected file and INPUT_CORRUPT for one pdf.js cannot
 * open; nothing is written either way.
 */
export async function readPdf(bytes: Uint8Array, source: string): Promise<PdfPage[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    ...pdfjsAssets(),
    cMapPacked: true,
    useSystemFonts: false,
    disableFontFace: true,
    isEvalSupported: false,
    // keeps each font's ToUnicode map on this side, to tell made-up Type3 glyphs (type3Filter)
    fontExtraProperties: true,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'PasswordException') {
      throw new PolicyBotError(
        'INPUT_ENCRYPTED',
        `${source}: the PDF is password-protected; save a copy without a password and ingest that`,
        { source },
        { cause: e },
      );
    }
    throw new PolicyBotError(
      'INPUT_CORRUPT',
      `${source}: not a readable PDF (${(e as Error).message}); the file may be damaged or truncated`,
      { source },
      { cause: e },
    );
  }
  try {
    const labels = await doc.getPageLabels().catch(() => null);
    const imageOps = new Set(IMAGE_OPS.map((k) => (pdfjs.OPS as Record<string, number>)[k]).filter((v) => v !== undefined));
    const pages: PdfPage[] = [];
    // fonts are shared by the pages of a document; pdf.js hands a font over only while building a
    // page's operator list, so that is done for the pages that bring a font not seen before
    const filters = new Map<string, ReturnType<typeof type3Filter>>();
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const view = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const items = content.items.filter((item) => 'str' in item && item.str !== '') as Array<Extract<(typeof content.items)[number], { str: string }>>;
      let ops: Awaited<ReturnType<typeof page.getOperatorList>> | undefined;
      const fresh = [...new Set(items.map((item) => item.fontName))].filter((name) => !filters.has(name));
      if (fresh.length > 0) {
        ops = await page.getOperatorList();
        for (const name of fresh) filters.set(name, page.commonObjs.has(name) ? type3Filter(page.commonObjs.get(name)) : undefined);
      }
      const runs: TextRun[] = [];
      let unmapped = 0;
      for (const item of items) {
        // pdf.js starts a new item where the font's name changes, so an item is in one font
        // (or in fonts of one name, which it joins)
        const text = filters.get(item.fontName)?.(item.str) ?? item.str;
        unmapped += [...item.str].length - [...text].length;
        if (text === '') continue;
        const [a, b, c, d, e, f] = item.transform as number[];
        const vertical = item.dir === 'ttb' || content.styles[item.fontName]?.vertical === true;
        const size = Math.hypot(c!, d!) || Math.hypot(a!, b!);
        runs.push({ text, x: e!, y: f!, advance: vertical ? item.height : item.width, size, vertical });
      }
      let images = 0;
      if (!runs.some((r) => r.text.trim())) {
        ops ??= await page.getOperatorList();
        images = ops.fnArray.filter((fn) => imageOps.has(fn)).length;
      }
      const label = labels?.[i - 1];
      pages.push({ index: i, width: view.width, height: view.height, ...(label ? { label } : {}), runs, images, ...(unmapped ? { unmapped } : {}) });
      page.cleanup();
    }
    return pages;
  } catch (e) {
    if (e instanceof PolicyBotError) throw e;
    throw new PolicyBotError('INPUT_CORRUPT', `${source}: the PDF could not be read to the end (${(e as Error).message})`, { source }, { cause: e });
  } finally {
    await doc.destroy();
  }
}
