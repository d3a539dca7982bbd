// Reading and writing YAML. Every YAML file a user wrote (a zot config, the GitOps repository's manifests,
// kustomize's output of them) is read through loadYaml/loadYamlAll: a refusal names the file and is a
// ZotFluxError (exit 1), never a js-yaml stack.
//
// Two limits, the same as the readers zot and Flux use would apply, or tighter:
//   - nesting: MAX_NESTING levels of objects and arrays (lib/core/nesting.ts), as for JSON. js-yaml's own default
//     is 100 (js-yaml 5.5.0 DEFAULT_PARSER_OPTIONS maxDepth: 100), far below go-yaml's 10000
//     (go.yaml.in/yaml/v3 scannerc.go@v3.0.4 max_flow_level/max_indents: "exceeded max depth of 10000"), so it is
//     raised to MAX_NESTING here and the refusal is worded as zot-flux's limit.
//   - aliases: js-yaml shares an anchored value between its aliases, so ~1 KB of nested aliases loads quickly
//     but describes billions of nodes, and every walk over it (nesting, zot's key checks, JSON.stringify) then
//     runs for ever. go-yaml refuses such a document while decoding: zot reads YAML config through viper
//     (spf13/viper internal/encoding/yaml/codec.go@v1.21.0: go.yaml.in/yaml/v3 Unmarshal; zot go.mod@v2.1.14:
//     viper v1.21.0, go.yaml.in/yaml/v3 v3.0.4) and Flux through sigs.k8s.io/yaml → go-yaml v2 (the same rule:
//     lib/go/yaml.ts Decoder, go-yaml@v2.4.2+v2.4.4 decode.go). The rule (go.yaml.in/yaml/v3 decode.go@v3.0.4
//     decoder.unmarshal, allowedAliasRatio): every node decoded counts, and those decoded inside an alias count
//     as aliased; once more than 100 are aliased and more than 1000 decoded, the document is refused when the
//     aliased share exceeds 99% (up to 400,000 decodes), falling linearly to 10% at 4,000,000.
//     aliasingProblem below replays that count over js-yaml's parser events (each document with a fresh decoder,
//     as yaml.v3's Decoder does per document), in go-yaml's order, and stops at the first refusal: its work is
//     bounded by the rule itself (about 400,000 aliased decodes at most), so a bomb is refused in milliseconds.
import * as yaml from 'js-yaml';
import { ZotFluxError } from './error';
import { MAX_NESTING, refuseDeepNesting } from './nesting';

/** YAML text of objects, one document each, with no folding of long lines (stable, readable diffs). */
export function toYaml(objects: readonly unknown[]): string {
  return objects.map((o) => '---\n' + yaml.dump(o, { lineWidth: -1, noRefs: true })).join('');
}

// ------------------------------------------------------------------------------------------------
// go-yaml's aliasing rule over js-yaml's events
// ------------------------------------------------------------------------------------------------

interface YNode {
  kind: 'seq' | 'map' | 'scalar' | 'alias';
  children: YNode[];
  /** For an alias: the anchored node (registered when that node starts, as go-yaml's parser does). */
  target?: YNode;
  anchor?: string;
  /** A scalar key `<<` that go-yaml treats as a merge (plain, untagged or !!merge). */
  merge?: boolean;
}

/** go.yaml.in/yaml/v3 decode.go@v3.0.4 allowedAliasRatio (identical in go-yaml v2.4.2). */
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400000) return 0.99;
  if (decodeCount >= 4000000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400000) / 3600000);
}

/** The documents of `events` as node trees (aliases pointing at their anchored node). */
function documents(events: readonly yaml.Event[], source: string): YNode[] {
  const E = yaml.EVENT_ID;
  const docs: YNode[] = [];
  const stack: YNode[] = [];
  let anchors = new Map<string, YNode>();
  const add = (n: YNode) => {
    stack[stack.length - 1].children.push(n);
  };
  for (const ev of events) {
    switch (ev.type) {
      case E.DOCUMENT: {
        anchors = new Map();
        const d: YNode = { kind: 'seq', children: [] };
        docs.push(d);
        stack.push(d);
        break;
      }
      case E.POP:
        stack.pop();
        break;
      case E.ALIAS: {
        const name = source.slice(ev.anchorStart, ev.anchorEnd);
        add({ kind: 'alias', children: [], target: anchors.get(name), anchor: name });
        break;
      }
      default: {
        const n: YNode = {
          kind: ev.type === E.SEQUENCE ? 'seq' : ev.type === E.MAPPING ? 'map' : 'scalar',
          children: [],
        };
        if (ev.anchorStart !== -1) anchors.set(source.slice(ev.anchorStart, ev.anchorEnd), n);
        if (ev.type === E.SCALAR) {
          const tag = ev.tagStart === -1 ? '' : source.slice(ev.tagStart, ev.tagEnd);
          // go.yaml.in/yaml/v3 decode.go@v3.0.4 isMerge: value "<<" and no tag, "!" or !!merge.
          n.merge =
            source.slice(ev.valueStart, ev.valueEnd) === '<<' &&
            (tag === '' || tag === '!' || tag === '!!merge' || tag === '!<tag:yaml.org,2002:merge>');
        }
        add(n);
        if (ev.type !== E.SCALAR) stack.push(n);
      }
    }
  }
  return docs.map((d) => d.children[0]).filter((n): n is YNode => n !== undefined);
}

type Task = { node: YNode; aliased: boolean; merged: boolean } | { leave: YNode };

/**
 * Why go-yaml refuses this document's aliases ("document contains excessive aliasing", "anchor 'a' value contains
 * itself"), or undefined. Replays go.yaml.in/yaml/v3 decode.go@v3.0.4 for an interface{} target without recursion:
 * document (1 decode), alias, mapping (key then value, the merge key skipped; then merge: the parent's keys again
 * unless already inside a merge, then the merged mapping, alias or sequence members), sequence.
 */
function aliasingProblem(root: YNode): string | undefined {
  let decodeCount = 1; // the DocumentNode
  let aliasCount = 0;
  const active = new Set<YNode>();
  const todo: Task[] = [{ node: root, aliased: false, merged: false }];
  while (todo.length) {
    const t = todo.pop()!;
    if ('leave' in t) {
      active.delete(t.leave);
      continue;
    }
    const { node: n, aliased } = t;
    decodeCount++;
    if (aliased) aliasCount++;
    if (aliasCount > 100 && decodeCount > 1000 && aliasCount / decodeCount > allowedAliasRatio(decodeCount)) {
      return 'document contains excessive aliasing';
    }
    const next: Task[] = [];
    if (n.kind === 'alias') {
      if (!n.target) return `unknown anchor '${n.anchor}' referenced`;
      if (active.has(n)) return `anchor '${n.anchor}' value contains itself`;
      active.add(n);
      next.push({ node: n.target, aliased: true, merged: t.merged }, { leave: n });
    } else if (n.kind === 'seq') {
      for (const c of n.children) next.push({ node: c, aliased, merged: false });
    } else if (n.kind === 'map') {
      let mergeNode: YNode | undefined;
      for (let i = 0; i + 1 < n.children.length; i += 2) {
        if (n.children[i].merge) {
          mergeNode = n.children[i + 1];
          continue;
        }
        next.push({ node: n.children[i], aliased, merged: false }, { node: n.children[i + 1], aliased, merged: false });
      }
      if (mergeNode) {
        if (!t.merged)
          for (let i = 0; i < n.children.length; i += 2) next.push({ node: n.children[i], aliased, merged: false });
        const members = mergeNode.kind === 'seq' ? mergeNode.children : [mergeNode];
        for (const m of members) next.push({ node: m, aliased, merged: true });
      }
    }
    for (let i = next.length - 1; i >= 0; i--) todo.push(next[i]);
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------------
// Loading
// ------------------------------------------------------------------------------------------------

const ALIAS_REFUSAL = (why: string) =>
  `go-yaml refuses it: ${why}: its anchors and aliases expand to far more than ` +
  'the file holds (zot and Flux read YAML with go-yaml, which refuses this; go.yaml.in/yaml/v3 decode.go ' +
  'allowedAliasRatio); write the values out, or use fewer nested aliases';

function refusal(field: string, reason: string): ZotFluxError {
  return new ZotFluxError({ field, reason });
}

/** Every document of `text` (null for an empty one), read as described above; refusals name `field` (the file). */
export function loadYamlAll(text: string, field: string): unknown[] {
  let events: yaml.Event[];
  try {
    // js-yaml counts the level being opened: MAX_NESTING + 1 lets refuseDeepNesting decide, as for JSON.
    events = yaml.parseEvents(text, { maxDepth: MAX_NESTING + 1 });
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    if (/nesting exceeded maxDepth/.test(message)) {
      throw refusal(
        field,
        `nests objects and arrays more than ${MAX_NESTING} levels deep: zot-flux reads at most ${MAX_NESTING} ` +
          "(zot's and Flux's YAML reader, go-yaml, stops at 10000); flatten it, or check that it is the file you meant",
      );
    }
    throw refusal(field, `does not parse as YAML: ${message}`);
  }
  for (const doc of documents(events, text)) {
    const why = aliasingProblem(doc);
    if (why) {
      throw refusal(field, ALIAS_REFUSAL(why));
    }
  }
  let docs: unknown[];
  try {
    docs = yaml.constructFromEvents(events, { source: text });
  } catch (e) {
    throw refusal(field, `does not parse as YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  for (const d of docs) refuseDeepNesting(d, field);
  return docs;
}

/**
 * Why go-yaml refuses the aliases of one of `text`'s documents (see aliasingProblem), or undefined: also when the
 * text does not parse (its reader reports that). A quick look for YAML another tool (kustomize) would read first.
 */
export function yamlAliasRefusal(text: string): string | undefined {
  if (!text.includes('*') || !text.includes('&')) return undefined;
  let events: yaml.Event[];
  try {
    events = yaml.parseEvents(text, { maxDepth: MAX_NESTING + 1 });
  } catch {
    return undefined;
  }
  for (const doc of documents(events, text)) {
    const why = aliasingProblem(doc);
    if (why) return ALIAS_REFUSAL(why);
  }
  return undefined;
}

/** The single document of `text` (undefined when there is none), read as loadYamlAll does. */
export function loadYaml(text: string, field: string): unknown {
  const docs = loadYamlAll(text, field);
  if (docs.length > 1) throw refusal(field, 'expected a single YAML document, found ' + docs.length);
  return docs[0];
}
