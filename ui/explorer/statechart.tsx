/**
 * A machine's statechart as SVG, from the layout `npm run diagrams` computed
 * (ui/generated/statecharts.json, written by cli/statechart-layout.ts from the machine
 * definitions): states as boxes, nested states inside their parents, parallel regions dashed,
 * transitions between states as labelled arrows (hover for guards and actions), internal
 * transitions counted on their state (↻ n). The active states are filled.
 */
import layouts from '../generated/statecharts.json' with { type: 'json' };

/** The generated layout (cli/statechart-layout.ts's StatechartLayout: the generator's types stay with it). */
interface Box {
  path: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
  compound: boolean;
  parallel: boolean;
  final: boolean;
  internal: string[];
}
interface Arrow {
  from: string;
  to: string;
  label: string;
  transitions: string[];
  points: number[][];
  labelAt: number[];
}
interface Layout {
  machine: string;
  width: number;
  height: number;
  initial: string;
  boxes: Box[];
  arrows: Arrow[];
}

const LAYOUTS = layouts as unknown as Record<string, Layout>;

const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('.')));

export function Statechart({ machine, active }: { machine: string; active: readonly string[] }) {
  const l = LAYOUTS[machine];
  if (!l) return <p class="empty">The {machine} machine has no generated diagram (docs/machines draws the spec's Mesos machines only).</p>;
  const parallel = new Set(l.boxes.filter((b) => b.parallel).map((b) => b.path));
  const init = l.boxes.find((b) => b.path === l.initial);
  return (
    <svg
      class="statechart"
      data-machine={machine}
      viewBox={`-16 0 ${l.width + 16} ${l.height}`}
      width={l.width + 16}
      height={l.height}
      role="img"
      aria-label={`statechart of ${machine}`}
    >
      <defs>
        <marker id={`arrow-${machine}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" />
        </marker>
      </defs>
      {init && <circle class="initial" cx={init.x - 8} cy={init.y + 8} r="5" />}
      {l.boxes.map((b) => {
        const on = active.includes(b.path);
        const cls = ['state', b.compound ? 'compound' : 'leaf', parallel.has(parentOf(b.path)) ? 'region' : '', b.final ? 'final' : '', on ? 'active' : '']
          .filter(Boolean)
          .join(' ');
        const title = `${b.path}${on ? ' (current)' : ''}${b.internal.length ? `\ninternal transitions:\n${b.internal.join('\n')}` : ''}`;
        const text = `${b.label}${b.internal.length ? ` ↻ ${b.internal.length}` : ''}`;
        return (
          <g key={b.path} class={cls} data-state={b.path}>
            <title>{title}</title>
            <rect x={b.x} y={b.y} width={b.width} height={b.height} rx="8" />
            {b.compound ? (
              <text x={b.x + 8} y={b.y + 14}>
                {text}
              </text>
            ) : (
              <text x={b.x + b.width / 2} y={b.y + b.height / 2 + 4} text-anchor="middle">
                {text}
              </text>
            )}
          </g>
        );
      })}
      {l.arrows.map((a) => (
        <g key={`${a.from}>${a.to}`} class="transition">
          <title>{a.transitions.join('\n')}</title>
          <path d={a.points.map((p, i) => `${i ? 'L' : 'M'}${p[0]},${p[1]}`).join(' ')} marker-end={`url(#arrow-${machine})`} />
          <text x={a.labelAt[0]} y={a.labelAt[1]! + 4} text-anchor="middle">
            {a.label.length > 40 ? `${a.label.slice(0, 39)}…` : a.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
