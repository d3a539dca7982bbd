// The analysis: a SafeGlob's language as an automaton (NFA, then subsets built as they are reached), and the
// search for a repository name matched by some globs and by none of others, over the names zot routes (zot
// pkg/regexp/regexp.go NameRegexp, v2.1.14..v2.1.20).

import { ZotFluxError } from '../core/error';
import { mayOverlap } from './glob-overlap';
import { ALPHABET, CharSet, NSYM, Rx, SafeGlob, symOf, symbolsOf } from './glob-syntax';

interface Nfa {
  readonly eps: number[][];
  readonly edges: Array<Array<{ set: CharSet; to: number }>>;
  readonly start: number;
  readonly accept: number;
}

function buildNfa(rx: Rx): Nfa {
  const eps: number[][] = [];
  const edges: Array<Array<{ set: CharSet; to: number }>> = [];
  const state = () => {
    eps.push([]);
    edges.push([]);
    return eps.length - 1;
  };
  const build = (r: Rx, from: number): number => {
    switch (r.t) {
      case 'set': {
        const to = state();
        edges[from].push({ set: r.set, to });
        return to;
      }
      case 'seq': {
        let at = from;
        for (const it of r.items) at = build(it, at);
        return at;
      }
      case 'alt': {
        const end = state();
        for (const it of r.items) {
          const s = state();
          eps[from].push(s);
          eps[build(it, s)].push(end);
        }
        return end;
      }
      case 'star': {
        const loop = state();
        eps[from].push(loop);
        const back = build(r.item, loop);
        eps[back].push(loop);
        return loop;
      }
      case 'opt': {
        const end = state();
        eps[from].push(end);
        eps[build(r.item, from)].push(end);
        return end;
      }
    }
  };
  const start = state();
  const accept = build(rx, start);
  return { eps, edges, start, accept };
}

/** Scratch lists for Subsets.fill (one fill runs at a time). */
const FILL_SCRATCH: number[][] = Array.from({ length: NSYM }, () => []);

class Subsets {
  private readonly ids = new Map<string, number>();
  readonly sets: Array<readonly number[]> = [];
  readonly accepting: boolean[] = [];
  /** step[id][symbol]: the next subset's id, -1 while not computed. */
  private readonly step: number[][] = [];
  /** Each NFA state's epsilon closure (sorted) and its key, made once. */
  private readonly closures: Array<readonly number[]> = [];
  private readonly closureKeys: string[] = [];
  /** Marks for unions of closures: mark[s] === generation when s is in the union being built. */
  private readonly mark: number[];
  private generation = 0;
  readonly initial: number;
  constructor(private readonly nfa: Nfa) {
    this.mark = new Array<number>(nfa.eps.length).fill(0);
    this.initial = this.internClosureOf(nfa.start);
  }
  private closureOf(state: number): readonly number[] {
    let c = this.closures[state];
    if (c === undefined) {
      const seen = new Set([state]);
      const stack = [state];
      while (stack.length)
        for (const t of this.nfa.eps[stack.pop()!])
          if (!seen.has(t)) {
            seen.add(t);
            stack.push(t);
          }
      c = [...seen].sort((a, b) => a - b);
      this.closures[state] = c;
      this.closureKeys[state] = c.join(',');
    }
    return c;
  }
  private internClosureOf(state: number): number {
    const states = this.closureOf(state);
    return this.intern(states, this.closureKeys[state]);
  }
  /** The subset holding the closures of `targets`. */
  private internUnion(targets: readonly number[]): number {
    if (targets.length === 1) return this.internClosureOf(targets[0]);
    const gen = ++this.generation;
    const union: number[] = [];
    for (const t of targets)
      for (const s of this.closureOf(t))
        if (this.mark[s] !== gen) {
          this.mark[s] = gen;
          union.push(s);
        }
    union.sort((a, b) => a - b);
    return this.intern(union, union.join(','));
  }
  private intern(states: readonly number[], key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.ids.set(key, id);
      this.sets.push(states);
      this.accepting.push(states.includes(this.nfa.accept));
      this.step.push(new Array<number>(NSYM).fill(-1));
    }
    return id;
  }
  /** The subset after reading one symbol (the empty subset is dead). */
  next(id: number, sym: number): number {
    const to = this.step[id][sym];
    if (to >= 0) return to;
    this.fill(id);
    return this.step[id][sym];
  }
  /** Every symbol's step from subset `id` at once: symbols leading to the same NFA states share one union. */
  private fill(id: number): void {
    const row = this.step[id];
    const targets = FILL_SCRATCH;
    const touched: number[] = [];
    for (const s of this.sets[id]) {
      for (const e of this.nfa.edges[s]) {
        for (const sym of symbolsOf(e.set)) {
          if (targets[sym].length === 0) touched.push(sym);
          targets[sym].push(e.to);
        }
      }
    }
    // Most steps of a literal glob lead nowhere: the dead subset, interned once.
    row.fill((this.deadId ??= this.intern([], '')));
    let union: Map<string, number> | undefined;
    for (const sym of touched) {
      const out = targets[sym];
      if (out.length === 1) {
        row[sym] = this.internClosureOf(out[0]);
      } else {
        const key = out.join(',');
        union ??= new Map<string, number>();
        let to = union.get(key);
        if (to === undefined) {
          to = this.internUnion(out);
          union.set(key, to);
        }
        row[sym] = to;
      }
    }
    for (const sym of touched) targets[sym].length = 0;
  }
  private deadId: number | undefined;
  dead(id: number): boolean {
    return this.sets[id].length === 0;
  }

  private readonly live: number[][] = [];
  /** The symbols, ascending, after which subset `id` is not dead. */
  liveSymbols(id: number): readonly number[] {
    let out = this.live[id];
    if (out === undefined) {
      out = [];
      for (let sym = 0; sym < NSYM; sym++) if (!this.dead(this.next(id, sym))) out.push(sym);
      this.live[id] = out;
    }
    return out;
  }

  private readonly universalMemo = new Map<number, boolean>();
  /**
   * Whether, from subset `id` and valid-name state `v`, this automaton matches every continuation that makes a
   * valid repository name (so no name through here escapes it).
   */
  universal(id: number, v: number): boolean {
    const key = id * 8 + v;
    let known = this.universalMemo.get(key);
    if (known === undefined) {
      known = true;
      const seen = new Set<number>([key]);
      const stack = [[id, v]];
      while (known && stack.length) {
        const [s, w] = stack.pop()!;
        if (w === 1 && !this.accepting[s]) {
          known = false;
          break;
        }
        for (let sym = 0; sym < NSYM; sym++) {
          const w2 = validStep(w, sym);
          if (w2 < 0) continue;
          const s2 = this.next(s, sym);
          // A dead subset never matches again, and every valid state can still end a valid name.
          if (this.dead(s2)) {
            known = false;
            break;
          }
          const k2 = s2 * 8 + w2;
          if (!seen.has(k2)) {
            seen.add(k2);
            stack.push([s2, w2]);
          }
        }
      }
      this.universalMemo.set(key, known);
    }
    return known;
  }
}

// Valid repository names (zot pkg/regexp/regexp.go v2.1.14..v2.1.20):
//   component = [a-z0-9]+ ( (?:[._]|__|[-]*) [a-z0-9]+ )* ; name = component ( '/' component )*
// States: 0 start of a component, 1 in [a-z0-9]+ (accepting), 2 after '.', 3 after '_', 4 after '__', 5 after '-'s.
function validStepSlow(state: number, sym: number): number {
  const c = ALPHABET[sym];
  const alnum = /[a-z0-9]/.test(c);
  switch (state) {
    case 0:
      return alnum ? 1 : -1;
    case 1:
      return alnum ? 1 : c === '.' ? 2 : c === '_' ? 3 : c === '-' ? 5 : c === '/' ? 0 : -1;
    case 2:
      return alnum ? 1 : -1;
    case 3:
      return alnum ? 1 : c === '_' ? 4 : -1;
    case 4:
      return alnum ? 1 : -1;
    case 5:
      return alnum ? 1 : c === '-' ? 5 : -1;
    default:
      return -1;
  }
}

const VALID_NEXT: readonly number[] = Array.from({ length: 6 * NSYM }, (_, i) =>
  validStepSlow(Math.floor(i / NSYM), i % NSYM),
);
const validStep = (state: number, sym: number): number => (state < 0 ? -1 : VALID_NEXT[state * NSYM + sym]);

/** Whether `name` is a repository name zot routes (pkg/regexp/regexp.go FullNameRegexp). */
export function isRepositoryName(name: string): boolean {
  let s = 0;
  for (const c of name) {
    const sym = symOf(c);
    if (sym < 0) return false;
    s = validStep(s, sym);
    if (s < 0) return false;
  }
  return s === 1;
}

const automata = new WeakMap<SafeGlob, Subsets>();
function subsetsOf(g: SafeGlob): Subsets {
  let s = automata.get(g);
  if (!s) {
    s = new Subsets(buildNfa(g.rx));
    automata.set(g, s);
  }
  return s;
}

const ALL_SYMBOLS: readonly number[] = Array.from({ length: NSYM }, (_, i) => i);

/** The most product states one question may visit before the analysis gives up (and callers refuse). */
export const ANALYSIS_STATE_LIMIT = 200_000;

function tooIntricate(all: readonly SafeGlob[], none: readonly SafeGlob[]): ZotFluxError {
  return new ZotFluxError({
    field: 'repositories',
    value: [...all, ...none].map((g) => g.pattern),
    reason: `are too intricate together to decide their overlap exactly (more than ${ANALYSIS_STATE_LIMIT} states): simplify the globs`,
  });
}

/** The name spelled by the `seen` chain ending at `at`. */
function spell(seen: Map<string, { prev: string | undefined; sym: number }>, at: string | undefined): string {
  let out = '';
  while (at !== undefined) {
    const e = seen.get(at)!;
    if (e.sym >= 0) out = ALPHABET[e.sym] + out;
    at = e.prev;
  }
  return out;
}

/**
 * A repository name matched by every glob in `all` and by none in `none`, or undefined when there is none. The
 * answer is the shortest such name, and the first in ALPHABET order among the shortest (a breadth-first search
 * over the product of the automata, symbols in order, meets each product state first by its least such name), so
 * it depends on the globs' languages only: findNameDense gives the same answer. Exact for SafeGlobs. Throws
 * ZotFluxError past ANALYSIS_STATE_LIMIT product states.
 *
 * Faster than the plain product: a glob of `none` that cannot meet a glob of `all` (mayOverlap) is left out; a
 * `none` automaton whose state is dead is dropped from the product state (it can never match again); a product
 * state in which some `none` automaton matches every valid continuation is not explored (nothing beyond it can
 * count). None of these changes which names are matched by all and by none, so the answer is the same.
 */
export function findName(all: readonly SafeGlob[], none: readonly SafeGlob[] = []): string | undefined {
  // '**' alone matches every name (expansionRx): nothing escapes it in `none`, and in `all` it asks nothing.
  if (none.some(isEverything)) return undefined;
  if (all.some(isEverything)) all = all.filter((g) => !isEverything(g));
  const relevant = all.length === 0 ? none : none.filter((n) => all.every((a) => mayOverlap(a, n)));
  if (all.length === 1 && relevant.length === 0) {
    // The question asked most: one glob's first name (the same answer every time).
    if (!firstNames.has(all[0])) firstNames.set(all[0], new ProductSearch(all, []).run());
    return firstNames.get(all[0]);
  }
  return new ProductSearch(all, relevant).run();
}

export const isEverything = (g: SafeGlob): boolean => g.pattern === '**';
const firstNames = new WeakMap<SafeGlob, string | undefined>();

/** A product state: the valid-name state, each `all` automaton's state, then (index, state) of the live `none` ones. */
interface St {
  readonly v: number;
  readonly p: readonly number[];
  readonly n: readonly number[];
}
type Trail = Map<string, { prev: string | undefined; sym: number }>;
const keyOf = (st: St) => `${st.v},${st.p.join(',')}|${st.n.join(',')}`;

/**
 * findName's search, once `none` holds only the globs that may meet every glob of `all`: breadth first, each
 * state tested when it is first reached (the first one accepted is the first the layer would pop).
 */
class ProductSearch {
  private readonly pos: Subsets[];
  private readonly neg: Subsets[];
  private readonly seen: Trail = new Map();
  constructor(
    private readonly all: readonly SafeGlob[],
    private readonly none: readonly SafeGlob[],
  ) {
    this.pos = all.map(subsetsOf);
    this.neg = none.map(subsetsOf);
  }

  run(): string | undefined {
    const initial = this.initial();
    if (this.hopeless(initial)) return undefined;
    const initialKey = keyOf(initial);
    this.seen.set(initialKey, { prev: undefined, sym: -1 });
    if (this.accepted(initial)) return '';
    let frontier: Array<{ st: St; k: string }> = [{ st: initial, k: initialKey }];
    while (frontier.length) {
      const next: Array<{ st: St; k: string }> = [];
      for (const from of frontier) {
        const found = this.expand(from.st, from.k, next);
        if (found !== undefined) return found;
      }
      frontier = next;
    }
    return undefined;
  }

  private initial(): St {
    const n: number[] = [];
    this.neg.forEach((s, i) => {
      if (!s.dead(s.initial)) n.push(i, s.initial);
    });
    return { v: 0, p: this.pos.map((s) => s.initial), n };
  }

  /** Queues the states one symbol after `st` not seen before; the name, when one of them is accepted. */
  private expand(st: St, stKey: string, next: Array<{ st: St; k: string }>): string | undefined {
    const bySym = this.noneAfter(st);
    for (const sym of this.pos.length > 0 ? this.pos[0].liveSymbols(st.p[0]) : ALL_SYMBOLS) {
      const to = this.step(st, sym, bySym);
      if (to === undefined) continue;
      const kk = keyOf(to);
      if (this.seen.has(kk)) continue;
      this.seen.set(kk, { prev: stKey, sym });
      if (this.accepted(to)) return spell(this.seen, kk);
      if (this.seen.size > ANALYSIS_STATE_LIMIT) throw tooIntricate(this.all, this.none);
      if (!this.hopeless(to)) next.push({ st: to, k: kk });
    }
    return undefined;
  }

  /** The live `none` automata after each symbol, gathered per symbol from each one's live symbols. */
  private noneAfter(st: St): number[][] {
    const bySym: number[][] = [];
    for (let i = 0; i < st.n.length; i += 2) {
      const s = this.neg[st.n[i]];
      for (const sym of s.liveSymbols(st.n[i + 1])) (bySym[sym] ??= []).push(st.n[i], s.next(st.n[i + 1], sym));
    }
    return bySym;
  }

  /** The state after `sym`, or undefined when the name turns invalid or an `all` automaton dies. */
  private step(st: St, sym: number, bySym: number[][]): St | undefined {
    const v = validStep(st.v, sym);
    if (v < 0) return undefined;
    const p: number[] = [];
    for (let i = 0; i < this.pos.length; i++) {
      const to = this.pos[i].next(st.p[i], sym);
      if (this.pos[i].dead(to)) return undefined;
      p.push(to);
    }
    return { v, p, n: bySym[sym] ?? [] };
  }

  /** Some `none` automaton matches every valid continuation: nothing beyond counts. */
  private hopeless(st: St): boolean {
    for (let i = 0; i < st.n.length; i += 2) if (this.neg[st.n[i]].universal(st.n[i + 1], st.v)) return true;
    return false;
  }

  private accepted(st: St): boolean {
    if (st.v !== 1) return false;
    for (let i = 0; i < this.pos.length; i++) if (!this.pos[i].accepting[st.p[i]]) return false;
    for (let i = 0; i < st.n.length; i += 2) if (this.neg[st.n[i]].accepting[st.n[i + 1]]) return false;
    return true;
  }
}

/**
 * findName by the plain product of every automaton, none left out or dropped: slower, and kept as the reference
 * the tests hold findName to (the two must give the same name, or both none).
 */
export function findNameDense(all: readonly SafeGlob[], none: readonly SafeGlob[] = []): string | undefined {
  const pos = all.map(subsetsOf);
  const neg = none.map(subsetsOf);
  const k = pos.length;
  const initial = [0, ...pos.map((s) => s.initial), ...neg.map((s) => s.initial)];
  const key = (st: number[]) => st.join(',');
  const seen = new Map<string, { prev: string | undefined; sym: number }>();
  seen.set(key(initial), { prev: undefined, sym: -1 });
  let frontier: Array<{ st: number[]; k: string }> = [{ st: initial, k: key(initial) }];
  while (frontier.length) {
    const next: Array<{ st: number[]; k: string }> = [];
    for (const { st, k: stKey } of frontier) {
      const accepted =
        st[0] === 1 && pos.every((s, i) => s.accepting[st[1 + i]]) && neg.every((s, i) => !s.accepting[st[1 + k + i]]);
      if (accepted) return spell(seen, stKey);
      for (let sym = 0; sym < NSYM; sym++) {
        const v = validStep(st[0], sym);
        if (v < 0) continue;
        const to = [v];
        let alive = true;
        for (let i = 0; i < k && alive; i++) {
          const n = pos[i].next(st[1 + i], sym);
          if (pos[i].dead(n)) alive = false;
          to.push(n);
        }
        if (!alive) continue;
        for (let i = 0; i < neg.length; i++) to.push(neg[i].next(st[1 + k + i], sym));
        const kk = key(to);
        if (seen.has(kk)) continue;
        seen.set(kk, { prev: stKey, sym });
        if (seen.size > ANALYSIS_STATE_LIMIT) throw tooIntricate(all, none);
        next.push({ st: to, k: kk });
      }
    }
    frontier = next;
  }
  return undefined;
}

/** Whether the glob's automaton accepts `name` (for checking the analysis against doublestar). */
export function analysisMatches(g: SafeGlob, name: string): boolean {
  const s = subsetsOf(g);
  let st = s.initial;
  for (const c of name) {
    const sym = symOf(c);
    if (sym < 0) return false;
    st = s.next(st, sym);
  }
  return s.accepting[st];
}
