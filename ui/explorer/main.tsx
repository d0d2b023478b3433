/**
 * `mesos-ref explore`'s page: start from the initial state, pick among the enabled actions, see
 * the world after each step (machines, contexts, timers, channels, faults spent), each machine's
 * statechart with its current states filled (statechart.tsx), and the steps so far; or step through the counterexample
 * the explorer was opened on. The path of actions is the URL's hash, so a state has a link.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Statechart } from './statechart.tsx';

/** The answer of GET /api/state (impl/explore/session.ts, StateJson: the server's types stay on the server). */
interface Step {
  action: number;
  label: string;
  fault: boolean;
  component?: string;
  channel?: string;
}
interface Local {
  value: unknown;
  context: unknown;
  timers: { id: string; event: { type: string }; delay: number }[];
}
interface StateJson {
  config: string;
  step: number;
  steps: Step[];
  chart: string;
  world: { components: Record<string, Local | null>; channels: Record<string, { type: string }[]>; faults: Record<string, number>; partitioned: string[] };
  budgets: Record<string, number>;
  enabled: Step[];
  violations: { name: string; kind: string; explanation: string }[];
  quiescent: boolean;
  deadlock: string[] | null;
  statecharts: { component: string; machine: string; active: string[] }[];
  trace: { property: string; explanation?: string; actions: number[]; labels: string[] } | null;
}

function pathOfHash(): number[] {
  const m = /path=([\d,]*)/.exec(location.hash);
  return m && m[1] ? m[1].split(',').map(Number) : [];
}

const go = (path: readonly number[]) => (location.hash = `path=${path.join(',')}`);

const valueText = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : Object.entries(v as Record<string, unknown>)
        .map(([k, s]) => `${k}.${valueText(s)}`)
        .join(', ');

function useExplorerState(): { path: number[]; state: StateJson | null; error: string | null } {
  const [path, setPath] = useState(pathOfHash);
  const [state, setState] = useState<StateJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const on = () => setPath(pathOfHash());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  useEffect(() => {
    let current = true;
    fetch(`/api/state?path=${path.join(',')}`)
      .then(async (r) => (r.ok ? ((await r.json()) as StateJson) : Promise.reject(new Error(await r.text()))))
      .then(
        (s) => {
          if (!current) return;
          setState(s);
          setError(null);
        },
        (e: Error) => current && setError(e.message),
      );
    return () => {
      current = false;
    };
  }, [path.join(',')]);
  return { path, state, error };
}

/** Where the current path stands on the counterexample: the steps it shares with it, from the start. */
function onTrace(path: readonly number[], trace: StateJson['trace']): number | null {
  if (!trace || path.length > trace.actions.length) return null;
  return path.every((a, i) => a === trace.actions[i]) ? path.length : null;
}

function Counterexample({ s, path }: { s: StateJson; path: number[] }) {
  const t = s.trace!;
  const at = onTrace(path, t);
  return (
    <div class="panel" id="counterexample">
      <h3>
        Counterexample: {t.property} ({t.actions.length} steps)
      </h3>
      {t.explanation && <p>{t.explanation}</p>}
      <p>
        <button id="trace-back" disabled={path.length === 0} onClick={() => go(path.slice(0, -1))}>
          ◀ back
        </button>{' '}
        <button id="trace-next" disabled={at === null || at >= t.actions.length} onClick={() => go(t.actions.slice(0, (at ?? 0) + 1))}>
          next step ▶
        </button>{' '}
        <button id="trace-end" onClick={() => go(t.actions)}>
          to the violation »
        </button>
      </p>
      <p id="trace-position">{at === null ? 'Off the counterexample (back, or start again from the initial state).' : `Step ${at} of ${t.actions.length}`}</p>
    </div>
  );
}

function Verdict({ s }: { s: StateJson }) {
  if (s.violations.length === 0 && s.deadlock === null)
    return (
      <p id="violations" class="ok">
        No property is violated in this state{s.quiescent ? ' (quiescent: the eventually-properties hold here too)' : ''}.
      </p>
    );
  return (
    <div id="violations" class="violation">
      {s.violations.map((v) => (
        <p key={v.name}>
          <b>
            {v.kind === 'eventually' ? 'Eventually-property' : 'Invariant'} {v.name} violated
          </b>
          : {v.explanation}
        </p>
      ))}
      {s.deadlock && (
        <>
          <p>
            <b>Deadlock</b>: nothing is enabled and the state is not quiescent. What each component waits for:
          </p>
          <ul id="deadlock">
            {s.deadlock.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function Components({ s }: { s: StateJson }) {
  return (
    <>
      {s.statecharts.map((c) => {
        const local = s.world.components[c.component];
        return (
          <details class="component" key={c.component} data-component={c.component}>
            <summary>
              <b>{c.component}</b> <span class="mono">{local ? valueText(local.value) : 'not running'}</span>
              {local && local.timers.length > 0 && ` · timers: ${local.timers.map((t) => t.event.type).join(', ')}`}
            </summary>
            <div class="chart">
              <Statechart machine={c.machine} active={c.active} />
            </div>
            {local && (
              <>
                {local.timers.length > 0 && (
                  <p>
                    Pending timers:{' '}
                    {local.timers.map((t) => (
                      <span key={t.id} class="mono">
                        {t.event.type} after {t.delay} ms;{' '}
                      </span>
                    ))}
                  </p>
                )}
                <pre>{JSON.stringify(local.context, null, 1)}</pre>
              </>
            )}
          </details>
        );
      })}
    </>
  );
}

function App() {
  const { state: s, error } = useExplorerState();
  if (s === null) return <main>{error ? <p class="violation">{error}</p> : <p class="empty">Loading…</p>}</main>;
  // The path of the state on screen, not the hash's: while the next state is being fetched the
  // two differ, and every button and the position line must speak of the state they stand beside.
  const path = s.steps.map((st) => st.action);
  const at = onTrace(path, s.trace);
  const nextOnTrace = s.trace && at !== null && at < s.trace.actions.length ? s.trace.actions[at] : undefined;
  return (
    <>
      <header>
        <h1>mesos-ref explore</h1>
        <span>
          configuration <b>{s.config}</b> · step <b id="step">{s.step}</b>
        </span>
        <nav>
          <a href="#path=">initial state</a>
        </nav>
      </header>
      <main class="explorer">
        <div>
          {s.trace && <Counterexample s={s} path={path} />}
          <h2>Enabled actions ({s.enabled.length})</h2>
          <div class="actions" id="enabled">
            {s.enabled.length === 0 && <p class="empty">None: this state is terminal.</p>}
            {s.enabled.map((a) => (
              <button key={a.action} class={`${a.fault ? 'fault' : ''} ${a.action === nextOnTrace ? 'next' : ''}`} onClick={() => go([...path, a.action])}>
                {a.label}
              </button>
            ))}
          </div>
          <h2>Steps so far</h2>
          <ol class="steps" id="steps">
            {s.steps.map((st, i) => (
              <li key={i} class={st.fault ? 'fault' : ''} onClick={() => go(path.slice(0, i + 1))}>
                {st.label}
              </li>
            ))}
          </ol>
        </div>
        <div>
          <Verdict s={s} />
          <h2>Machines</h2>
          <Components s={s} />
          <h2>Channels</h2>
          {Object.keys(s.world.channels).length === 0 ? (
            <p class="empty">Nothing in flight.</p>
          ) : (
            <table>
              <tbody>
                {Object.entries(s.world.channels).map(([ch, msgs]) => (
                  <tr key={ch}>
                    <td class="mono">{ch}</td>
                    <td>{msgs.map((m) => m.type).join(' · ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Message chart</h2>
          {s.chart === '' ? <p class="empty">No step yet.</p> : <pre id="chart">{s.chart}</pre>}
          <h2>Faults</h2>
          <p>
            Spent:{' '}
            {Object.entries(s.world.faults)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ') || 'none'}
            . Budgets:{' '}
            {Object.entries(s.budgets)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}
            .{s.world.partitioned.length > 0 && ` Partitioned: ${s.world.partitioned.join(', ')}.`}
          </p>
        </div>
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
