import { join, resolve } from 'node:path';

/** Folders inside the data directory (POLICYBOT_DATA_DIR). */
export interface DataPaths {
  root: string;
  bulletins: string;
  dictionaries: string;
  /** runtime state: store, index snapshot; git-ignored */
  state: string;
}

/** Resolves the data directory's layout. */
export function dataPaths(root: string): DataPaths {
  const r = resolve(root);
  return { root: r, bulletins: join(r, 'bulletins'), dictionaries: join(r, 'dictionaries'), state: join(r, 'state') };
}
