// Go's net/url as far as zot looks at a URL (src/net/url/url.go).

/** Go's url.Parse as far as zot looks at it: scheme and host of an absolute URL; undefined when Go refuses it. */
export function goParseUrl(s: string): { scheme: string; host: string } | undefined {
  // net/url refuses ASCII control characters and a first path segment with ':' before any '/'
  if (/[\x00-\x1f\x7f]/.test(s)) return undefined;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(s);
  if (!m) return s.startsWith(':') ? undefined : { scheme: '', host: '' };
  const rest = m[2];
  if (!rest.startsWith('//')) return { scheme: m[1], host: '' };
  const authority = /^\/\/([^/?#]*)/.exec(rest)?.[1] ?? '';
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (/\s/.test(host)) return undefined;
  return { scheme: m[1], host };
}
