/**
 * Each machine's statechart laid out as boxes and arrows (dagre, at `npm run diagrams` time, so
 * the browser gets coordinates and no layout library): a state is a box, a nested state sits
 * inside its parent's box, a transition to another state is an arrow labelled with its events.
 * A transition that stays in its state (no target, or its own state) is an internal transition in
 * UML's sense: listed on the state's box ("↻ n") rather than drawn as a loop, which would bury the
 * master's one-state-many-handlers machine in loops. Walks the same machine definitions the
 * Mermaid pages are drawn from (cli/diagrams.ts), so neither can drift from the spec.
 */
import dagre from '@dagrejs/dagre';
import type { AnyStateMachine, AnyStateNode } from 'xstate';

/** A state's box: `path` is its dotted path below the root, as the explorer names active states. */
export interface BoxLayout {
  readonly path: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Has states inside it. */
  readonly compound: boolean;
  readonly parallel: boolean;
  readonly final: boolean;
  /** Its internal transitions, each as `EVENT [guard] / actions`. */
  readonly internal: readonly string[];
}

/** An arrow between two states: every transition from `from` to `to`, one label per event. */
export interface ArrowLayout {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** Each transition in full (`EVENT [guard] / actions`), for the arrow's tooltip. */
  readonly transitions: readonly string[];
  readonly points: readonly (readonly [number, number])[];
  readonly labelAt: readonly [number, number];
}

export interface StatechartLayout {
  readonly machine: string;
  readonly width: number;
  readonly height: number;
  readonly initial: string;
  readonly boxes: readonly BoxLayout[];
  readonly arrows: readonly ArrowLayout[];
}

type TransitionDef = { target?: readonly AnyStateNode[]; guard?: unknown; actions?: readonly unknown[] };

const CHAR = 7;
const LEAF_HEIGHT = 30;
const LABEL_HEIGHT = 16;

const pathOf = (node: AnyStateNode) => node.path.join('.');
const round = (n: number) => Math.round(n);

/** The leaf a transition into a compound state lands on for layout (dagre lays out edges between leaves only): its initial descendant. */
function entryLeaf(node: AnyStateNode): AnyStateNode {
  const children = Object.values(node.states) as AnyStateNode[];
  if (children.length === 0) return node;
  const initial = (node.initial as unknown as { target?: readonly AnyStateNode[] } | undefined)?.target?.[0];
  return entryLeaf(initial ?? children[0]!);
}

const contains = (b: BoxLayout, [x, y]: readonly [number, number]) => x > b.x && x < b.x + b.width && y > b.y && y < b.y + b.height;
const inside = (inner: BoxLayout, outer: BoxLayout) => inner.path.startsWith(`${outer.path}.`);

/** Drops a path's leading points inside `box`, starting it where it crosses the box's border instead. */
function clip(points: (readonly [number, number])[], box: BoxLayout): (readonly [number, number])[] {
  const k = points.findIndex((p) => !contains(box, p));
  if (k <= 0) return points;
  const [x0, y0] = points[k - 1]!;
  const [x1, y1] = points[k]!;
  // The segment from the last point inside to the first outside leaves the box at the smallest t that reaches an edge.
  const ts = [(box.x - x0) / (x1 - x0), (box.x + box.width - x0) / (x1 - x0), (box.y - y0) / (y1 - y0), (box.y + box.height - y0) / (y1 - y0)].filter((t) => t > 0 && t <= 1);
  const t = Math.min(...ts, 1);
  return [[x0 + t * (x1 - x0), y0 + t * (y1 - y0)], ...points.slice(k)];
}

/**
 * The statechart of `machine` laid out top to bottom. `label(event, t)` writes a transition the
 * way the Mermaid pages do (the caller's, so both pictures say the same thing).
 */
export function layoutStatechart(machine: AnyStateMachine, label: (event: string, t: TransitionDef) => string): StatechartLayout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 44, edgesep: 12, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const nodes: AnyStateNode[] = [];
  const internal = new Map<string, string[]>();
  const arrows = new Map<string, { from: AnyStateNode; to: AnyStateNode; events: string[]; transitions: string[] }>();

  const visit = (node: AnyStateNode) => {
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      nodes.push(child);
      visit(child);
    }
  };
  visit(machine.root);
  for (const node of nodes) {
    const own: string[] = [];
    const defs: [string, TransitionDef][] = [
      ...[...node.transitions].flatMap(([event, ts]) => (ts as unknown as TransitionDef[]).map((t): [string, TransitionDef] => [event, t])),
      ...((node.always ?? []) as unknown as TransitionDef[]).map((t): [string, TransitionDef] => ['', t]),
    ];
    for (const [event, t] of defs) {
      const text = label(event, t);
      const targets = (t.target ?? []).filter((x) => x !== node);
      if (targets.length === 0) own.push(text);
      for (const to of targets) {
        const key = `${pathOf(node)}>${pathOf(to)}`;
        const a = arrows.get(key) ?? { from: node, to, events: [], transitions: [] };
        const ev = text.split(' [')[0]!.split(' / ')[0]!;
        if (!a.events.includes(ev)) a.events.push(ev);
        a.transitions.push(text);
        arrows.set(key, a);
      }
    }
    internal.set(pathOf(node), own);
  }

  for (const node of nodes) {
    const compound = Object.keys(node.states).length > 0;
    const own = internal.get(pathOf(node))!;
    const text = node.key.length + (own.length ? 4 + String(own.length).length : 0);
    g.setNode(pathOf(node), compound ? {} : { width: Math.max(64, text * CHAR + 20), height: LEAF_HEIGHT });
    if (node.parent && node.parent !== machine.root) g.setParent(pathOf(node), pathOf(node.parent));
  }
  // A compound state's label sits on its top border: a placeholder leaf first in its ranks keeps
  // its children clear of it (dagre gives clusters no room for a title).
  for (const node of nodes) {
    if (Object.keys(node.states).length === 0) continue;
    const title = `${pathOf(node)}#title`;
    const own = internal.get(pathOf(node))!;
    g.setNode(title, { width: (node.key.length + (own.length ? 4 + String(own.length).length : 0)) * CHAR + 16, height: LABEL_HEIGHT });
    g.setParent(title, pathOf(node));
    const first = entryLeaf(node);
    g.setEdge(title, pathOf(first), { minlen: 1, weight: 4 }, `title:${pathOf(node)}`);
  }
  for (const [key, a] of arrows) {
    const text = a.events.join(', ');
    g.setEdge(pathOf(entryLeaf(a.from)), pathOf(entryLeaf(a.to)), { label: text, width: Math.min(text.length, 40) * CHAR, height: 14, labelpos: 'c' }, key);
  }
  dagre.layout(g);

  const graph = g.graph() as { width?: number; height?: number };
  const boxes: BoxLayout[] = nodes.map((node) => {
    const n = g.node(pathOf(node)) as { x: number; y: number; width: number; height: number };
    return {
      path: pathOf(node),
      label: node.key,
      x: round(n.x - n.width / 2),
      y: round(n.y - n.height / 2),
      width: round(n.width),
      height: round(n.height),
      compound: Object.keys(node.states).length > 0,
      parallel: node.type === 'parallel',
      final: node.type === 'final',
      internal: internal.get(pathOf(node))!,
    };
  });
  const boxOf = new Map(boxes.map((b) => [b.path, b]));
  const out: ArrowLayout[] = [...arrows].map(([key, a]) => {
    const e = g.edge({ v: pathOf(entryLeaf(a.from)), w: pathOf(entryLeaf(a.to)), name: key }) as { points: { x: number; y: number }[]; x: number; y: number; label: string };
    // Laid out between leaves; drawn from and to a compound state's own border.
    let points = e.points.map((p) => [p.x, p.y] as const);
    const from = boxOf.get(pathOf(a.from))!;
    const to = boxOf.get(pathOf(a.to))!;
    if (from.compound && !inside(to, from)) points = clip(points, from);
    if (to.compound && !inside(from, to)) points = clip([...points].reverse(), to).reverse();
    // A label left inside a compound state the arrow now stops at the border of moves onto the arrow's middle segment.
    let labelAt: readonly [number, number] = [e.x, e.y];
    const clipped = (b: BoxLayout, other: BoxLayout) => b.compound && !inside(other, b) && contains(b, labelAt);
    if (clipped(from, to) || clipped(to, from)) {
      const m = Math.max(0, Math.floor((points.length - 1) / 2));
      const [p, q] = [points[m]!, points[Math.min(m + 1, points.length - 1)]!];
      labelAt = [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2 - 6];
    }
    return {
      from: pathOf(a.from),
      to: pathOf(a.to),
      label: e.label,
      transitions: a.transitions,
      points: points.map(([x, y]) => [round(x), round(y)] as const),
      labelAt: [round(labelAt[0]), round(labelAt[1])] as const,
    };
  });
  const initial = (machine.root.initial as unknown as { target?: readonly AnyStateNode[] } | undefined)?.target?.[0];
  return {
    machine: machine.id,
    width: round(graph.width ?? 0),
    height: round(graph.height ?? 0),
    initial: initial ? pathOf(initial) : '',
    boxes,
    arrows: out,
  };
}
