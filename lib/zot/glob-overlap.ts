// Cheap necessary conditions for two globs to overlap: the literal text every name they match starts and
// ends with, and an index that finds, among thousands of globs, the ones each may overlap.

import { ALPHABET, Rx, SafeGlob, symbolsOf } from './glob-syntax';

/** The text every name a glob matches starts with, and the text every such name ends with. */
export interface LiteralEnds {
  readonly prefix: string;
  readonly suffix: string;
}

/** The literal text at the start (or end) of every word of `rx`, and whether `rx` is that text alone. */
function literalEnd(rx: Rx, atEnd: boolean): { text: string; whole: boolean } {
  switch (rx.t) {
    case 'set': {
      const syms = symbolsOf(rx.set);
      return syms.length === 1 ? { text: ALPHABET[syms[0]], whole: true } : { text: '', whole: false };
    }
    case 'seq': {
      let text = '';
      const items = atEnd ? [...rx.items].reverse() : rx.items;
      for (const it of items) {
        const e = literalEnd(it, atEnd);
        text = atEnd ? e.text + text : text + e.text;
        if (!e.whole) return { text, whole: false };
      }
      return { text, whole: true };
    }
    case 'alt': {
      const ends = rx.items.map((it) => literalEnd(it, atEnd).text);
      let common = ends[0] ?? '';
      for (const e of ends) {
        let n = 0;
        while (
          n < common.length &&
          n < e.length &&
          (atEnd ? common[common.length - 1 - n] === e[e.length - 1 - n] : common[n] === e[n])
        )
          n++;
        common = atEnd ? common.slice(common.length - n) : common.slice(0, n);
      }
      return { text: common, whole: false };
    }
    default:
      return { text: '', whole: false };
  }
}

const literalEndsCache = new WeakMap<SafeGlob, LiteralEnds>();
/** What every name `g` matches starts and ends with (read from its automaton's expression). */
export function literalEnds(g: SafeGlob): LiteralEnds {
  let e = literalEndsCache.get(g);
  if (!e) {
    e = { prefix: literalEnd(g.rx, false).text, suffix: literalEnd(g.rx, true).text };
    literalEndsCache.set(g, e);
  }
  return e;
}

/**
 * false only when no name can match both globs: one's literal start is not a start of the other's (nor the other
 * way round), or likewise their literal ends. A cheap filter in front of findName; true says nothing.
 */
export function mayOverlap(a: SafeGlob, b: SafeGlob): boolean {
  const x = literalEnds(a);
  const y = literalEnds(b);
  return (
    (x.prefix.startsWith(y.prefix) || y.prefix.startsWith(x.prefix)) &&
    (x.suffix.endsWith(y.suffix) || y.suffix.endsWith(x.suffix))
  );
}

/**
 * For a list of globs, the ones each may overlap (mayOverlap), found through sorted literal starts and ends rather
 * than by trying every pair: what a list of thousands of keys needs.
 */
export class OverlapIndex {
  private readonly byPrefix: EndIndex;
  private readonly bySuffix: EndIndex;
  constructor(private readonly globs: readonly SafeGlob[]) {
    this.byPrefix = new EndIndex(globs.map((g) => literalEnds(g).prefix));
    this.bySuffix = new EndIndex(globs.map((g) => [...literalEnds(g).suffix].reverse().join('')));
  }

  /** The indexes j ≠ i, ascending, of the globs that may overlap globs[i]. */
  candidates(i: number): number[] {
    const p = this.byPrefix.count(i);
    const s = this.bySuffix.count(i);
    const from = p <= s ? this.byPrefix.related(i) : this.bySuffix.related(i);
    const g = this.globs[i];
    return from.filter((j) => j !== i && mayOverlap(g, this.globs[j])).sort((a, b) => a - b);
  }
}

/** Strings, and for each one the others it is a prefix of or that are a prefix of it. */
class EndIndex {
  private readonly sorted: number[];
  private readonly exact = new Map<string, number[]>();
  constructor(private readonly texts: readonly string[]) {
    this.sorted = texts.map((_, i) => i).sort((a, b) => (texts[a] < texts[b] ? -1 : texts[a] > texts[b] ? 1 : a - b));
    texts.forEach((t, i) => {
      const l = this.exact.get(t);
      if (l) l.push(i);
      else this.exact.set(t, [i]);
    });
  }
  /** The first position in `sorted` whose text is ≥ t. */
  private lowerBound(t: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.texts[this.sorted[mid]] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Those starting with texts[i] (itself included), as a range of `sorted`. */
  private range(i: number): [number, number] {
    const t = this.texts[i];
    return [this.lowerBound(t), this.lowerBound(t + '\uffff')];
  }
  /** Those whose text is a strict prefix of texts[i]. */
  private shorter(i: number): number[] {
    const t = this.texts[i];
    const out: number[] = [];
    for (let n = 0; n < t.length; n++) for (const j of this.exact.get(t.slice(0, n)) ?? []) out.push(j);
    return out;
  }
  count(i: number): number {
    const [a, b] = this.range(i);
    return b - a + this.shorter(i).length;
  }
  related(i: number): number[] {
    const [a, b] = this.range(i);
    return [...this.sorted.slice(a, b), ...this.shorter(i)];
  }
}
