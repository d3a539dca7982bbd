// Go regexp syntax checking (RE2 syntax, regexp.Compile = syntax.Parse with syntax.Perl flags).
// Written from golang/go src/regexp/syntax/parse.go (Parse, parsePerlFlags, parseRepeat, repeat,
// repeatIsValid, parseEscape, parseClass, parseNamedClass, parseUnicodeClass); zot v2.1.14..v2.1.20
// builds with Go 1.25/1.26 (go.mod `go` line). Unicode script names are not listed here: an unknown
// \p{Name} that could be a script is reported by goRegexpNotes, not refused.

type RNode = {
  op: 'lit' | 'class' | 'op' | 'empty' | 'concat' | 'alt' | 'cap' | 'rep';
  min?: number;
  max?: number;
  subs: RNode[];
};
type RItem = RNode | { op: 'lparen'; cap: boolean } | { op: 'vbar' };

const POSIX_CLASSES = [
  'alnum',
  'alpha',
  'ascii',
  'blank',
  'cntrl',
  'digit',
  'graph',
  'lower',
  'print',
  'punct',
  'space',
  'upper',
  'word',
  'xdigit',
];
const UNICODE_CATEGORIES = new Set([
  'C',
  'Cc',
  'Cf',
  'Co',
  'Cs',
  'L',
  'Ll',
  'Lm',
  'Lo',
  'Lt',
  'Lu',
  'M',
  'Mc',
  'Me',
  'Mn',
  'N',
  'Nd',
  'Nl',
  'No',
  'P',
  'Pc',
  'Pd',
  'Pe',
  'Pf',
  'Pi',
  'Po',
  'Ps',
  'S',
  'Sc',
  'Sk',
  'Sm',
  'So',
  'Z',
  'Zl',
  'Zp',
  'Zs',
  'Any',
  'Assigned',
  'Ascii',
  'Lc',
]);

class RegexpError extends Error {}

function rxError(code: string, expr: string): never {
  throw new RegexpError(`error parsing regexp: ${code}: \`${expr}\``);
}

/** Go's canonicalName for \p{...} lookups. */
function canonicalName(name: string): string {
  let out = '';
  let first = true;
  for (const ch of name) {
    if (ch === '_' || ch === '-' || ch === ' ') continue;
    out += first ? ch.toUpperCase() : ch.toLowerCase();
    first = false;
  }
  return out;
}

/**
 * Whether Go's regexp.Compile accepts `src`: undefined when it does, else Go's error text.
 * `notes` collects what cannot be decided here (a Unicode script name).
 */
export function goRegexpError(src: string, notes: string[] = []): string | undefined {
  try {
    parseGoRegexp(src, notes);
    return undefined;
  } catch (e) {
    if (e instanceof RegexpError) return e.message;
    throw e;
  }
}

function parseGoRegexp(src: string, notes: string[]): void {
  const stack: RItem[] = [];
  let t = src;
  let lastRepeat = '';
  const isPseudo = (x: RItem | undefined) => x !== undefined && (x.op === 'lparen' || x.op === 'vbar');
  const push = (n: RNode) => {
    stack.push(n);
  };
  const concat = () => {
    let i = stack.length;
    while (i > 0 && !isPseudo(stack[i - 1])) i--;
    const subs = stack.splice(i) as RNode[];
    push(subs.length === 0 ? { op: 'empty', subs: [] } : subs.length === 1 ? subs[0] : { op: 'concat', subs });
  };
  const swapVerticalBar = (): boolean => {
    const n = stack.length;
    if (n >= 2 && stack[n - 2].op === 'vbar') {
      [stack[n - 2], stack[n - 1]] = [stack[n - 1], stack[n - 2]];
      return true;
    }
    return false;
  };
  const alternate = () => {
    let i = stack.length;
    while (i > 0 && stack[i - 1].op !== 'lparen') i--;
    const subs = stack.splice(i).filter((x) => x.op !== 'vbar') as RNode[];
    push(subs.length === 1 ? subs[0] : { op: 'alt', subs });
  };
  const repeatIsValid = (re: RNode, n: number): boolean => {
    if (re.op === 'rep') {
      let m = re.max!;
      if (m === 0) return true;
      if (m < 0) m = re.min!;
      if (m > n) return false;
      if (m > 0) n = Math.floor(n / m);
    }
    return re.subs.every((s) => repeatIsValid(s, n));
  };
  const repeat = (min: number, max: number, before: string, after: string, counted: boolean): string => {
    if (after.startsWith('?')) after = after.slice(1); // non-greedy (PerlX)
    if (lastRepeat !== '')
      rxError('invalid nested repetition operator', lastRepeat.slice(0, lastRepeat.length - after.length));
    const top = stack[stack.length - 1];
    if (top === undefined || isPseudo(top))
      rxError('missing argument to repetition operator', before.slice(0, before.length - after.length));
    const re: RNode = { op: 'rep', min, max, subs: [top as RNode] };
    stack[stack.length - 1] = re;
    if (counted && (min >= 2 || max >= 2) && !repeatIsValid(re, 1000))
      rxError('invalid repeat count', before.slice(0, before.length - after.length));
    return after;
  };
  const parseInt10 = (s: string): [number, string] | undefined => {
    if (s === '' || s[0] < '0' || s[0] > '9') return undefined;
    if (s.length >= 2 && s[0] === '0' && s[1] >= '0' && s[1] <= '9') return undefined;
    const d = /^[0-9]+/.exec(s)![0];
    let n = 0;
    for (const c of d) {
      if (n >= 1e8) {
        n = -1;
        break;
      }
      n = n * 10 + Number(c);
    }
    return [n, s.slice(d.length)];
  };
  const parseRepeat = (s: string): [number, number, string] | undefined => {
    let rest = s.slice(1);
    const a = parseInt10(rest);
    if (!a) return undefined;
    let [min, r] = a;
    let max: number;
    if (r === '') return undefined;
    if (r[0] !== ',') max = min;
    else {
      r = r.slice(1);
      if (r === '') return undefined;
      if (r[0] === '}') max = -1;
      else {
        const b = parseInt10(r);
        if (!b) return undefined;
        [max, r] = b;
        if (max < 0) min = -1;
      }
    }
    if (r === '' || r[0] !== '}') return undefined;
    rest = r.slice(1);
    return [min, max, rest];
  };
  const nextRune = (s: string): [number, string] => {
    const c = s.codePointAt(0)!;
    return [c, s.slice(c > 0xffff ? 2 : 1)];
  };
  const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const unhex = (c: number) =>
    c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
  const parseEscape = (s: string): [number, string] => {
    let t2 = s.slice(1);
    if (t2 === '') rxError('trailing backslash at end of expression', '');
    const [c, afterC] = nextRune(t2);
    t2 = afterC;
    const ch = String.fromCodePoint(c);
    if (c < 0x80 && !isAlnum(c)) return [c, t2];
    if (ch >= '1' && ch <= '7' && !(t2 !== '' && t2[0] >= '0' && t2[0] <= '7'))
      rxError('invalid escape sequence', s.slice(0, s.length - t2.length));
    if (ch >= '0' && ch <= '7') {
      let r = c - 48;
      for (let i = 1; i < 3; i++) {
        if (t2 === '' || t2[0] < '0' || t2[0] > '7') break;
        r = r * 8 + (t2.charCodeAt(0) - 48);
        t2 = t2.slice(1);
      }
      return [r, t2];
    }
    if (ch === 'x' && t2 !== '') {
      let d: number;
      [d, t2] = nextRune(t2);
      if (d === 0x7b /* { */) {
        let n = 0;
        let r = 0;
        for (;;) {
          if (t2 === '') rxError('invalid escape sequence', s);
          [d, t2] = nextRune(t2);
          if (d === 0x7d /* } */) break;
          const v = unhex(d);
          if (v < 0) rxError('invalid escape sequence', s.slice(0, s.length - t2.length));
          r = r * 16 + v;
          if (r > 0x10ffff) rxError('invalid escape sequence', s.slice(0, s.length - t2.length));
          n++;
        }
        if (n === 0) rxError('invalid escape sequence', s.slice(0, s.length - t2.length));
        return [r, t2];
      }
      const x = unhex(d);
      if (t2 === '') rxError('invalid escape sequence', s);
      let e: number;
      [e, t2] = nextRune(t2);
      const y = unhex(e);
      if (x < 0 || y < 0) rxError('invalid escape sequence', s.slice(0, s.length - t2.length));
      return [x * 16 + y, t2];
    }
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (ch in simple) return [simple[ch], t2];
    return rxError('invalid escape sequence', s.slice(0, s.length - t2.length));
  };
  const unicodeClass = (s: string): string | undefined => {
    // s starts with \p or \P; returns the rest, or undefined when it is not one
    let t2 = s.slice(2);
    if (t2 === '') rxError('invalid character class range', s);
    let name: string;
    let seq: string;
    if (t2[0] !== '{') {
      const [c, rest] = nextRune(t2);
      name = String.fromCodePoint(c);
      seq = s.slice(0, s.length - rest.length);
      t2 = rest;
    } else {
      const end = s.indexOf('}');
      if (end < 0) rxError('invalid character class range', s);
      seq = s.slice(0, end + 1);
      name = s.slice(3, end);
      t2 = s.slice(end + 1);
    }
    if (name.startsWith('^')) name = name.slice(1);
    const canon = canonicalName(name);
    if (!UNICODE_CATEGORIES.has(canon)) {
      // Go also knows scripts (Greek, Han, ...) and category aliases (Letter, ...): not listed here
      if (canon.length >= 2 && /^[A-Za-z][A-Za-z_ -]*$/.test(name))
        notes.push(
          `${seq}: the Unicode class name is not a general category; Go accepts it only if it names a script or category alias`,
        );
      else rxError('invalid character class range', seq);
    }
    return t2;
  };
  const perlClass = (s: string) => s.length >= 2 && s[0] === '\\' && 'dDsSwW'.includes(s[1]);
  const parseClass = (s: string): string => {
    let t2 = s.slice(1);
    if (t2.startsWith('^')) t2 = t2.slice(1);
    let first = true;
    while (t2 === '' || t2[0] !== ']' || first) {
      first = false;
      if (t2.length > 2 && t2[0] === '[' && t2[1] === ':') {
        const i = t2.indexOf(':]', 2);
        if (i >= 0) {
          const name = t2.slice(0, i + 2);
          const inner = name.slice(2, -2).replace(/^\^/, '');
          if (!POSIX_CLASSES.includes(inner)) rxError('invalid character class range', name);
          t2 = t2.slice(i + 2);
          continue;
        }
      }
      if (t2.length >= 2 && t2[0] === '\\' && (t2[1] === 'p' || t2[1] === 'P')) {
        t2 = unicodeClass(t2)!;
        continue;
      }
      if (perlClass(t2)) {
        t2 = t2.slice(2);
        continue;
      }
      const rng = t2;
      const classChar = (u: string): [number, string] => {
        if (u === '') rxError('missing closing ]', s);
        return u[0] === '\\' ? parseEscape(u) : nextRune(u);
      };
      let lo: number;
      [lo, t2] = classChar(t2);
      if (t2.length >= 2 && t2[0] === '-' && t2[1] !== ']') {
        t2 = t2.slice(1);
        let hi: number;
        [hi, t2] = classChar(t2);
        if (hi < lo) rxError('invalid character class range', rng.slice(0, rng.length - t2.length));
      }
    }
    return t2.slice(1);
  };

  let depth = 0;
  while (t !== '') {
    let repeated = '';
    const c = t[0];
    if (c === '(') {
      if (t.length >= 2 && t[1] === '?') {
        const startsWithP = t.length > 4 && t[2] === 'P' && t[3] === '<';
        const startsWithName = t.length > 3 && t[2] === '<';
        if (startsWithP || startsWithName) {
          const end = t.indexOf('>');
          if (end < 0) rxError('invalid named capture', t);
          const name = t.slice(startsWithName ? 3 : 4, end);
          if (!/^[A-Za-z0-9_]+$/.test(name)) rxError('invalid named capture', t.slice(0, end + 1));
          stack.push({ op: 'lparen', cap: true });
          depth++;
          t = t.slice(end + 1);
        } else {
          let u = t.slice(2);
          let sign = 1;
          let sawFlag = false;
          let done = false;
          while (u !== '') {
            const f = u[0];
            u = u.slice(1);
            if ('imsU'.includes(f)) {
              sawFlag = true;
              continue;
            }
            if (f === '-') {
              if (sign < 0) break;
              sign = -1;
              sawFlag = false;
              continue;
            }
            if (f === ':' || f === ')') {
              if (sign < 0 && !sawFlag) break;
              if (f === ':') {
                stack.push({ op: 'lparen', cap: false });
                depth++;
              }
              done = true;
              break;
            }
            break;
          }
          if (!done) rxError('invalid or unsupported Perl syntax', t.slice(0, t.length - u.length));
          t = u;
        }
      } else {
        stack.push({ op: 'lparen', cap: true });
        depth++;
        t = t.slice(1);
      }
      if (depth > 1000) rxError('expression nests too deeply', src);
    } else if (c === '|') {
      concat();
      if (!swapVerticalBar()) stack.push({ op: 'vbar' });
      t = t.slice(1);
    } else if (c === ')') {
      concat();
      if (swapVerticalBar()) stack.pop();
      alternate();
      const n = stack.length;
      if (n < 2 || stack[n - 2].op !== 'lparen') rxError('unexpected )', src);
      const inner = stack.pop() as RNode;
      const paren = stack.pop() as { op: 'lparen'; cap: boolean };
      push(paren.cap ? { op: 'cap', subs: [inner] } : inner);
      depth--;
      t = t.slice(1);
    } else if (c === '^' || c === '$' || c === '.') {
      push({ op: 'op', subs: [] });
      t = t.slice(1);
    } else if (c === '[') {
      t = parseClass(t);
      push({ op: 'class', subs: [] });
    } else if (c === '*' || c === '+' || c === '?') {
      const before = t;
      t = repeat(c === '*' ? 0 : c === '+' ? 1 : 0, -1, before, t.slice(1), false);
      repeated = before;
    } else if (c === '{') {
      const before = t;
      const r = parseRepeat(t);
      if (!r) {
        push({ op: 'lit', subs: [] });
        t = t.slice(1);
      } else {
        const [min, max, after] = r;
        if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max))
          rxError('invalid repeat count', before.slice(0, before.length - after.length));
        t = repeat(min, max, before, after, true);
        repeated = before;
      }
    } else if (c === '\\') {
      if (t.length >= 2 && 'AbBz'.includes(t[1])) {
        push({ op: 'op', subs: [] });
        t = t.slice(2);
      } else if (t.length >= 2 && t[1] === 'C') {
        rxError('invalid escape sequence', t.slice(0, 2));
      } else if (t.length >= 2 && t[1] === 'Q') {
        const end = t.indexOf('\\E', 2);
        const lit = end < 0 ? t.slice(2) : t.slice(2, end);
        for (let i = 0; i < [...lit].length; i++) push({ op: 'lit', subs: [] });
        t = end < 0 ? '' : t.slice(end + 2);
      } else if (t.length >= 2 && (t[1] === 'p' || t[1] === 'P')) {
        t = unicodeClass(t)!;
        push({ op: 'class', subs: [] });
      } else if (perlClass(t)) {
        push({ op: 'class', subs: [] });
        t = t.slice(2);
      } else {
        t = parseEscape(t)[1];
        push({ op: 'lit', subs: [] });
      }
    } else {
      t = nextRune(t)[1];
      push({ op: 'lit', subs: [] });
    }
    lastRepeat = repeated;
  }
  concat();
  if (swapVerticalBar()) stack.pop();
  alternate();
  if (stack.length !== 1) rxError('missing closing )', src);
}
