/**
 * Responsibility notes: "（人民银行、银监会按职责分工负责）" at the end of an item, and list
 * entries "市人社局：负责…", become the clause's departments.
 */

const NOTE = /[（(]([^（）()]{2,160}?)[)）]\s*$/u;
const ORG_SUFFIX =
  /(局|委|办|厅|会|行|中心|支行|集团|部|院|署|所|处|队|支队|政府|室|办公室|委员会|管委会|公司|联社|残联|总工会|团委|妇联|保监局|银监局|证监局)$/u;

/** Departments named in a trailing （…负责） note, or undefined when there is none. */
export function departmentsFromNote(text: string): string[] | undefined {
  const m = NOTE.exec(text.trim());
  if (!m) return undefined;
  const inner = m[1]!;
  if (!/负责|牵头|配合/.test(inner)) return undefined;
  const body = inner
    .replace(/(?:分别|按职责分工|按职能分工|共同|等部门和单位|等部门|等单位|等)?\s*(?:牵头)?负责$/u, '')
    .replace(/(?:分别|按职责分工|共同)$/u, '')
    .replace(/等部门和单位$|等部门$|等单位$/u, '');
  const parts = body
    .split(/[、，,；;]|(?<=[局委办厅会行部院])和/u)
    .map((s) =>
      s
        .replace(/^(?:由|和|及)/u, '')
        .replace(/(?:牵头|配合)$/u, '')
        .trim(),
    )
    .filter((s) => s.length >= 2 && s.length <= 20);
  return parts.length > 0 ? parts : undefined;
}

/** The department of a "市人社局：负责…" list entry, or undefined. */
export function departmentOfEntry(text: string): string | undefined {
  const m = /^([^：:，。、；]{2,20})[：:]\s*(?=\S)/u.exec(text.trim());
  if (!m) return undefined;
  const name = m[1]!.trim();
  return ORG_SUFFIX.test(name) ? name : undefined;
}
