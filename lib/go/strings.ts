// Go's strings and len() on the strings configs hold.

/** Go's strings.EqualFold for the strings configs hold. */
export function equalFold(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}

/** Go's len(string): UTF-8 bytes. */
export function goLen(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
