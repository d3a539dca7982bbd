// Credentials enter the generated tree only as Flux variables: a text that holds one is refused.

/** A bcrypt hash (`$2a$`, `$2b$`, `$2y$`) or any htpasswd-style hash: never allowed in generated output. */
export const CREDENTIAL_PATTERNS: ReadonlyArray<{ what: string; re: RegExp }> = [
  { what: 'a bcrypt hash', re: /\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/ },
  { what: 'an htpasswd line', re: /(^|[\s"'])[^\s:"'$]+:(\$(2[abxy]?|apr1|1|5|6)\$|\{SHA\})/m },
];

/** The first credential-looking string in a text, described; undefined when there is none. */
export function findCredential(text: string): string | undefined {
  for (const { what, re } of CREDENTIAL_PATTERNS) {
    const m = re.exec(text);
    if (m) return `${what} ('${m[0].trim().slice(0, 12)}...')`;
  }
  return undefined;
}
