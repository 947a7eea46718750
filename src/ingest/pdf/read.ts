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
 * Reads the text runs of every page with pdf.js (legacy build, the one that runs under Node).
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
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const view = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const runs: TextRun[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str === '') continue;
        const [a, b, c, d, e, f] = item.transform as number[];
        const vertical = item.dir === 'ttb' || content.styles[item.fontName]?.vertical === true;
        const size = Math.hypot(c!, d!) || Math.hypot(a!, b!);
        runs.push({ text: item.str, x: e!, y: f!, advance: vertical ? item.height : item.width, size, vertical });
      }
      let images = 0;
      if (!runs.some((r) => r.text.trim())) {
        const ops = await page.getOperatorList();
        images = ops.fnArray.filter((fn) => imageOps.has(fn)).length;
      }
      const label = labels?.[i - 1];
      pages.push({ index: i, width: view.width, height: view.height, ...(label ? { label } : {}), runs, images });
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
