// The record of what synth owns in a repository (the way projen keeps `.projen/files.json`):
// every file it generated and every entry it added to a hand-written kustomization.yaml. Synth
// deletes only what this record lists; the header line in each file is for people.
//
// The record is read as untrusted input: a path in it that is not a plain path inside the
// repository (absolute, `..`, a NUL byte, `.git`, synth's lock or journal), or an `entries` key that
// is not a kustomization file, is refused before anything is read or written through it.
import * as path from 'path';
import { refuse } from '../core/error';
import { GENERATED_MARK } from './generated';
import { OWNED_FILES_RECORD, STATE_DIR, STATE_GITIGNORE } from './layout';

export interface OwnedFiles {
  /** Files synth generated, repository-relative, sorted. */
  readonly files: readonly string[];
  /** Per hand-written kustomization file: the `resources` entries synth added to it, sorted. */
  readonly entries: Readonly<Record<string, readonly string[]>>;
}

export const NO_OWNED_FILES: OwnedFiles = { files: [], entries: {} };

/**
 * The file names kustomize reads as a kustomization; a record `entries` key must end in one.
 * kustomize api/konfig/general.go@api/v0.21.1: RecognizedKustomizationFileNames.
 */
export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const COMMENT = `${GENERATED_MARK} (npm run synth): the files synth owns here. Synth deletes only files listed here; commit this file.`;

const RESTORE = `restore ${OWNED_FILES_RECORD} from Git (git checkout -- ${OWNED_FILES_RECORD}), or delete it to let synth adopt its files again`;

/** The record as committed: stable JSON, one path per line. */
export function renderOwnedFiles(owned: OwnedFiles): string {
  const entries: Record<string, string[]> = {};
  for (const k of Object.keys(owned.entries).sort())
    if (owned.entries[k].length) entries[k] = [...owned.entries[k]].sort();
  return JSON.stringify({ comment: COMMENT, files: [...owned.files].sort(), entries }, null, 2) + '\n';
}

/** A value as messages may show it: control characters (a NUL byte) escaped. */
export function printable(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Why `value` is not a path synth may write or delete (repository-relative, `/`-separated,
 * normalised, inside the repository, not in `.git` nor synth's lock and journal); undefined when it is.
 * Used for the record and the journal alike.
 */
export function recordPathProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'is not a path (a string)';
  if (value === '') return 'is empty';
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'contains a control character (a NUL byte or a line break)';
  if (value.includes('\\')) return "contains '\\'; paths in the record are '/'-separated";
  if (path.posix.isAbsolute(value)) return 'is absolute';
  const parts = value.split('/');
  if (parts.some((p) => p === '..')) return "contains '..' (it would leave the repository or take a detour)";
  if (parts.some((p) => p === '' || p === '.')) return 'is not a normalised path (empty or "." segments)';
  if (parts.includes('.git')) return 'points into .git';
  if (parts[0] === STATE_DIR && value !== STATE_GITIGNORE && value !== OWNED_FILES_RECORD)
    return `points into ${STATE_DIR}, where synth keeps its lock and journal`;
  return undefined;
}

/** Whether `rel` names a file kustomize reads as a kustomization. */
export function isKustomizationFile(rel: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(path.posix.basename(rel));
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The record's `files`: each a plain path inside the repository. */
function checkFiles(files: unknown): string[] {
  if (!Array.isArray(files)) refuse(`${OWNED_FILES_RECORD} files`, files, `is not a list of paths; ${RESTORE}`);
  files.forEach((f: unknown, i: number) => {
    const problem = recordPathProblem(f);
    if (problem)
      refuse(
        `${OWNED_FILES_RECORD} files[${i}]`,
        typeof f === 'string' ? printable(f) : f,
        `${problem}: synth writes only plain paths inside the repository; ${RESTORE}`,
      );
  });
  return files as string[]; // each checked by recordPathProblem
}

/** One `entries` key (a kustomization file inside the repository) and its list of one-line entries. */
function checkEntryList(key: string, list: unknown): string[] {
  const field = `${OWNED_FILES_RECORD} entries[${JSON.stringify(printable(key))}]`;
  const problem = recordPathProblem(key);
  if (problem)
    refuse(field, undefined, `${problem}: synth edits only kustomization files inside the repository; ${RESTORE}`);
  if (!isKustomizationFile(key)) {
    refuse(
      field,
      undefined,
      `is not a kustomization file (${KUSTOMIZATION_FILE_NAMES.join(', ')}): synth edits entries only in a kustomization's resources; ${RESTORE}`,
    );
  }
  if (!Array.isArray(list)) refuse(field, list, `is not a list of resources entries; ${RESTORE}`);
  list.forEach((x: unknown, i: number) => {
    if (typeof x !== 'string' || x.trim() === '' || /[\u0000-\u001f\u007f]/.test(x)) {
      refuse(
        `${field}[${i}]`,
        typeof x === 'string' ? printable(x) : x,
        `is not a resources entry (a one-line path); ${RESTORE}`,
      );
    }
  });
  return list as string[]; // each checked above
}

/** The record's `entries`: kustomization file → the entries synth added to it. */
function checkEntries(entries: unknown): Record<string, string[]> {
  if (!isRecord(entries)) {
    refuse(
      `${OWNED_FILES_RECORD} entries`,
      entries,
      `is not a map of kustomization.yaml paths to lists of entries; ${RESTORE}`,
    );
  }
  const out: Record<string, string[]> = {};
  for (const [key, list] of Object.entries(entries)) out[key] = checkEntryList(key, list);
  return out;
}

/** Reads the record; a record that does not parse, or lists what synth would never write, is refused (synth will not guess what it owns). */
export function parseOwnedFiles(text: string): OwnedFiles {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    refuse(OWNED_FILES_RECORD, undefined, `is not valid JSON (${printable(message)}); ${RESTORE}`);
  }
  if (!isRecord(doc)) {
    refuse(OWNED_FILES_RECORD, undefined, `is not a JSON object with 'files' and 'entries'; ${RESTORE}`);
  }
  const files = checkFiles(doc.files);
  return { files, entries: checkEntries(doc.entries ?? {}) };
}
