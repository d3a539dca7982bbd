// A small unified line diff for the drift check's output.

type Op = { kind: ' ' | '-' | '+'; line: string };

function lineOps(a: string[], b: string[]): Op[] {
  // Longest common subsequence table, suffix form; files here are a few hundred lines at most.
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i] });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push({ kind: '-', line: a[i] });
      i++;
    } else {
      ops.push({ kind: '+', line: b[j] });
      j++;
    }
  }
  return ops;
}

/** `diff -u`-style text from `before` (on disk) to `after` (what synth writes); '' when equal. */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined, context = 3): string {
  if (before === after) return '';
  const split = (s: string | undefined) => (s === undefined || s === '' ? [] : s.replace(/\n$/, '').split('\n'));
  const ops = lineOps(split(before), split(after));
  const out = [
    `--- ${before === undefined ? '/dev/null' : 'a/' + path}`,
    `+++ ${after === undefined ? '/dev/null' : 'b/' + path}`,
  ];
  const changed = ops.map((o) => o.kind !== ' ');
  let k = 0;
  while (k < ops.length) {
    if (!changed[k]) {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    while (end < ops.length) {
      if (changed[end]) {
        end++;
        continue;
      }
      let next = end;
      while (next < ops.length && !changed[next]) next++;
      if (next < ops.length && next - end <= 2 * context) {
        end = next;
        continue;
      }
      break;
    }
    const stop = Math.min(ops.length, end + context);
    const aStart = ops.slice(0, start).filter((o) => o.kind !== '+').length + 1;
    const bStart = ops.slice(0, start).filter((o) => o.kind !== '-').length + 1;
    const hunk = ops.slice(start, stop);
    out.push(
      `@@ -${aStart},${hunk.filter((o) => o.kind !== '+').length} +${bStart},${hunk.filter((o) => o.kind !== '-').length} @@`,
    );
    for (const o of hunk) out.push(o.kind + o.line);
    k = stop;
  }
  return out.join('\n') + '\n';
}
