// The record of what synth owns in a repository (the way projen keeps `.projen/files.json`):
// every file it generated and every entry it added to a hand-written kustomization.yaml. Synth
// deletes only what this record lists; the header line in each file is for people.
import { refuse } from '../core/error';
import { GENERATED_MARK } from './generated';
import { OWNED_FILES_RECORD } from './layout';

export interface OwnedFiles {
  /** Files synth generated, repository-relative, sorted. */
  readonly files: readonly string[];
  /** Per hand-written kustomization.yaml: the `resources` entries synth added to it, sorted. */
  readonly entries: Readonly<Record<string, readonly string[]>>;
}

export const NO_OWNED_FILES: OwnedFiles = { files: [], entries: {} };

const COMMENT = `${GENERATED_MARK} (npm run synth): the files synth owns here. Synth deletes only files listed here; commit this file.`;

/** The record as committed: stable JSON, one path per line. */
export function renderOwnedFiles(owned: OwnedFiles): string {
  const entries: Record<string, string[]> = {};
  for (const k of Object.keys(owned.entries).sort()) if (owned.entries[k].length) entries[k] = [...owned.entries[k]].sort();
  return JSON.stringify({ comment: COMMENT, files: [...owned.files].sort(), entries }, null, 2) + '\n';
}

/** Reads the record; a record that does not parse is refused (synth will not guess what it owns). */
export function parseOwnedFiles(text: string): OwnedFiles {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e: any) {
    refuse(OWNED_FILES_RECORD, undefined, `is not valid JSON (${e.message}); restore it from Git (synth deletes only what it lists)`);
  }
  const files = doc?.files;
  const entries = doc?.entries ?? {};
  if (!Array.isArray(files) || files.some((f: unknown) => typeof f !== 'string')) {
    refuse(`${OWNED_FILES_RECORD} files`, files, 'is not a list of paths; restore the file from Git');
  }
  if (typeof entries !== 'object' || Array.isArray(entries) ||
    Object.values(entries).some((v) => !Array.isArray(v) || (v as unknown[]).some((x) => typeof x !== 'string'))) {
    refuse(`${OWNED_FILES_RECORD} entries`, entries, 'is not a map of kustomization.yaml paths to lists of entries; restore the file from Git');
  }
  return { files, entries };
}
