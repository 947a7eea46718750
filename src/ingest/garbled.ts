/**
 * A check that extracted text is real text and not gibberish: replacement characters from an
 * undecodable font, GBK bytes read as Latin-1 ("È«ÊÀ½ç" for 全世界), or unmapped private-use
 * glyphs. Returns why the text is garbled, or undefined when it reads.
 */
export function garbledReason(text: string): string | undefined {
  const chars = [...text.replace(/\s+/g, '')];
  if (chars.length === 0) return undefined;
  const count = (re: RegExp): number => chars.filter((c) => re.test(c)).length;
  const replacement = count(/\ufffd/u);
  if (replacement >= 3 && replacement > chars.length * 0.005) {
    return `${replacement} of ${chars.length} characters are replacement characters (�): the text layer's encoding cannot be read`;
  }
  const cjk = count(/[\u3400-\u9fff]/u);
  const latin1 = count(/[\u00a1-\u00ff]/u);
  if (latin1 >= 6 && latin1 > chars.length * 0.2 && cjk * 4 < latin1) {
    const sample = text.match(/[\u00a1-\u00ff]{2,}/u)?.[0]?.slice(0, 8) ?? '';
    return `the text is Chinese read in the wrong encoding (Latin-1 mojibake such as "${sample}")`;
  }
  const privateUse = count(/[\ue000-\uf8ff]/u);
  if (privateUse >= 3 && privateUse > chars.length * 0.1) {
    return `${privateUse} of ${chars.length} characters are unmapped glyphs (private-use code points): the fonts carry no text mapping`;
  }
  return undefined;
}
