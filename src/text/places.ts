import { normalizeKey } from './normalize.ts';

/** Places a document may govern and a question may name (data/dictionaries/places.txt). */
export interface PlaceTable {
  /** Place names, longest first, each with the province-level place it belongs to. */
  names: Array<{ name: string; place: string }>;
  /** 文号 abbreviation → place (京 → 北京). */
  abbreviations: Map<string, string>;
  /** Words with which a question asks for the national rule (国家, 国务院 …). */
  national: string[];
}

/** Parses the places file: "name abbreviation…", "city @province", "national: words". */
export function parsePlaces(text: string): PlaceTable {
  const names: PlaceTable['names'] = [];
  const abbreviations = new Map<string, string>();
  const national: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    if (line.startsWith('national:')) {
      national.push(...line.slice('national:'.length).split(/\s+/).filter(Boolean).map(normalizeKey));
      continue;
    }
    const [name, ...rest] = line.split(/\s+/).map(normalizeKey);
    const province = rest.find((r) => r.startsWith('@'))?.slice(1);
    names.push({ name: name!, place: province ?? name! });
    for (const a of rest) if (!a.startsWith('@')) abbreviations.set(a, name!);
  }
  names.sort((a, b) => b.name.length - a.name.length);
  return { names, abbreviations, national };
}

/** The place a question or title names first ("在重庆失业了" → 重庆; "绵阳市…" → 四川), if any. */
export function namedPlace(table: PlaceTable, key: string): string | undefined {
  let at = Infinity;
  let found: string | undefined;
  for (const { name, place } of table.names) {
    const i = key.indexOf(name);
    if (i >= 0 && i < at) {
      at = i;
      found = place;
    }
  }
  return found;
}

/**
 * The place a document governs: the one its 文号 opens with (京 → 北京; 国 → national), else the
 * first place of its title; national ('') when it has neither 文号 nor place (national laws and
 * regulations are titled without one); '?' when its 文号 is of an issuer the table does not know.
 */
export function documentPlace(table: PlaceTable, titleKey: string, docNumber: string): string {
  const first = docNumber.trim()[0];
  if (first === '国') return '';
  const abbreviated = first ? table.abbreviations.get(first) : undefined;
  if (abbreviated) return abbreviated;
  const named = namedPlace(table, titleKey);
  if (named) return named;
  return first ? '?' : '';
}

/** True when a question asks for the national rule (按国家规定, 国务院…). */
export function asksNational(table: PlaceTable, key: string): boolean {
  return table.national.some((w) => key.includes(w));
}

/** The place a question asks about: a place it names, else '' when it asks for the national rule, else undefined. */
export function questionPlace(table: PlaceTable, key: string): string | undefined {
  return namedPlace(table, key) ?? (asksNational(table, key) ? '' : undefined);
}
