/**
 * The master's web UI (served at `/`): overview, frameworks, agents, a task's status updates and
 * its sandbox. Live from the operator API's SUBSCRIBE stream; GET_STATE is asked again at most
 * once a second after stream events, for what the stream does not carry (offers, allocations).
 * Routes live in the URL's hash, so every view has a link.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { MasterEvent, MasterResponseGetAgentsAgent } from '../../spec/protocol/operator.ts';
import type { Task } from '../../spec/protocol/common.ts';
import { RecordIOReader } from '../shared/recordio.ts';
import { jsonp } from '../shared/jsonp.ts';
import { applyEvent, amounts, clusterTotals, EMPTY_VIEW, roleRows, sandboxPath, viewOfState, type Amounts, type ClusterView } from './view.ts';

/** Never ask GET_STATE more often than this, and never reconnect faster. */
const REFRESH_MS = 1000;

/**
 * 'unauthorized': the master answered 401 (--authenticate_http_readonly) and the browser had no
 * credentials to answer its Basic challenge with, or the person cancelled its prompt. The page
 * stops there rather than retrying: every retry would raise the browser's prompt again.
 */
type Connection = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

/** The master refused the page's credentials (401): following it again would only ask again. */
class Unauthorized extends Error {}

/** Follows the master: the SUBSCRIBE stream, a throttled GET_STATE after its events, a reconnect a second after it ends. */
function useCluster(): { view: ClusterView; connection: Connection; events: number } {
  const [view, setView] = useState<ClusterView>(EMPTY_VIEW);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [events, setEvents] = useState(0);
  useEffect(() => {
    let stopped = false;
    let abort = new AbortController();
    let lastRefresh = 0;
    // Stream events seen: a GET_STATE answer older than one of them is dropped (the refresh that event asked for follows).
    let seen = 0;
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      if (refreshTimer !== undefined) return;
      refreshTimer = setTimeout(
        () => {
          refreshTimer = undefined;
          lastRefresh = Date.now();
          const asked = seen;
          fetch('/api/v1', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: '{"type":"GET_STATE"}' })
            .then((r) => {
              if (r.status === 401) throw new Unauthorized();
              return r.json() as Promise<{ get_state: Parameters<typeof viewOfState>[0] }>;
            })
            .then((r) => !stopped && seen === asked && setView(viewOfState(r.get_state)))
            .catch((e) => {
              if (e instanceof Unauthorized) {
                stopped = true;
                abort.abort();
                setConnection('unauthorized');
              } // else the stream's own reconnect reports a dead master
            });
        },
        Math.max(0, lastRefresh + REFRESH_MS - Date.now()),
      );
    };
    const follow = async () => {
      const r = await fetch('/api/v1', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: '{"type":"SUBSCRIBE"}',
        signal: abort.signal,
      });
      if (r.status === 401) throw new Unauthorized();
      if (!r.ok || r.body === null) throw new Error(`SUBSCRIBE answered ${r.status}`);
      setConnection('live');
      const reader = r.body.getReader();
      const records = new RecordIOReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        for (const text of records.push(value)) {
          const e = JSON.parse(text) as MasterEvent;
          setView((v) => applyEvent(v, e));
          setEvents((n) => n + 1);
          if (e.type !== 'HEARTBEAT' && e.type !== 'SUBSCRIBED') {
            seen++;
            refresh();
          }
        }
      }
    };
    const loop = async () => {
      while (!stopped) {
        const refused = await follow().then(
          () => false,
          (e) => e instanceof Unauthorized,
        );
        if (refused) {
          stopped = true;
          setConnection('unauthorized');
        }
        if (stopped) return;
        setConnection('reconnecting');
        await new Promise((r) => setTimeout(r, REFRESH_MS));
        abort = new AbortController();
      }
    };
    loop().catch(() => setConnection('reconnecting'));
    return () => {
      stopped = true;
      abort.abort();
      clearTimeout(refreshTimer);
    };
  }, []);
  return { view, connection, events };
}

function useRoute(): { path: string; query: URLSearchParams } {
  const read = () => {
    const [path, q] = (location.hash.slice(1) || '/').split('?');
    return { path: path || '/', query: new URLSearchParams(q ?? '') };
  };
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const res = (a: Amounts) => `${fmt(a.cpus)} cpus, ${fmt(a.mem)} MB mem, ${fmt(a.disk)} MB disk`;
const when = (seconds: number | undefined) => (seconds === undefined ? '' : new Date(seconds * 1000).toLocaleTimeString());
const link = (path: string, params: Record<string, string>) => `#${path}?${new URLSearchParams(params).toString()}`;
const agentUrl = (a: MasterResponseGetAgentsAgent | undefined) => (a ? `http://${a.agent_info.hostname}:${a.agent_info.port ?? 5051}` : undefined);
const agentOf = (v: ClusterView, id: string) => v.agents.find((a) => a.agent_info.id?.value === id);
const frameworkName = (v: ClusterView, id: string) => [...v.frameworks, ...v.completedFrameworks].find((f) => f.framework_info.id?.value === id)?.framework_info.name ?? id;

function TaskTable({ v, tasks }: { v: ClusterView; tasks: readonly Task[] }) {
  if (tasks.length === 0) return <p class="empty">No tasks.</p>;
  return (
    <table class="tasks">
      <thead>
        <tr>
          <th>Task</th>
          <th>Name</th>
          <th>State</th>
          <th>Framework</th>
          <th>Agent</th>
          <th>Updated</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((t) => (
          <tr key={`${t.framework_id.value}/${t.task_id.value}`} data-task={t.task_id.value}>
            <td>
              <a href={link('/task', { framework: t.framework_id.value, task: t.task_id.value })}>{t.task_id.value}</a>
            </td>
            <td>{t.name}</td>
            <td class={`state ${t.state}`}>{t.state}</td>
            <td>{frameworkName(v, t.framework_id.value)}</td>
            <td>{agentOf(v, t.agent_id.value)?.agent_info.hostname ?? t.agent_id.value}</td>
            <td>{when(t.statuses?.at(-1)?.timestamp)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Overview({ v }: { v: ClusterView }) {
  const totals = clusterTotals(v);
  const running = v.tasks.filter((t) => t.state === 'TASK_RUNNING' || t.state === 'TASK_STARTING' || t.state === 'TASK_STAGING').length;
  return (
    <section>
      <div class="cards">
        <div class="card">
          <b id="agent-count">{v.agents.length}</b> agents
        </div>
        <div class="card">
          <b id="framework-count">{v.frameworks.length}</b> frameworks
        </div>
        <div class="card">
          <b id="running-count">{running}</b> active tasks
        </div>
        <div class="card">
          <b>{v.tasks.length - running}</b> finished tasks
        </div>
      </div>
      <h2>Resources</h2>
      <table>
        <thead>
          <tr>
            <th>Role</th>
            <th>Used</th>
            <th>Offered</th>
          </tr>
        </thead>
        <tbody>
          {roleRows(v).map((r) => (
            <tr key={r.role}>
              <td>{r.role}</td>
              <td>{res(r.used)}</td>
              <td>{res(r.offered)}</td>
            </tr>
          ))}
          <tr class="total">
            <td>cluster</td>
            <td>{res(totals.used)}</td>
            <td>{res(totals.offered)}</td>
          </tr>
        </tbody>
      </table>
      <p>
        Total {res(totals.total)}; idle <span id="idle">{res(totals.idle)}</span>.
      </p>
      <h2>Tasks</h2>
      <TaskTable v={v} tasks={v.tasks} />
    </section>
  );
}

function Frameworks({ v }: { v: ClusterView }) {
  return (
    <section>
      <h2>Frameworks</h2>
      {v.frameworks.length === 0 && <p class="empty">No framework is subscribed.</p>}
      {v.frameworks.map((f) => {
        const id = f.framework_info.id?.value ?? '';
        return (
          <div class="panel" key={id}>
            <h3>
              {f.framework_info.name} <small>{id}</small>
            </h3>
            <p>
              Role {f.framework_info.roles?.join(', ') ?? f.framework_info.role ?? '*'}; {f.connected ? 'connected' : 'disconnected'}, {f.active ? 'active' : 'inactive'}. Uses{' '}
              {res(amounts(f.allocated_resources))}; offered {res(amounts(f.offered_resources))}.
            </p>
            <h4>Offers</h4>
            {(f.offers ?? []).length === 0 ? (
              <p class="empty">No outstanding offers.</p>
            ) : (
              <ul>
                {(f.offers ?? []).map((o) => (
                  <li key={o.id.value}>
                    {o.id.value} on {o.hostname}: {res(amounts(o.resources))}
                  </li>
                ))}
              </ul>
            )}
            <h4>Tasks</h4>
            <TaskTable v={v} tasks={v.tasks.filter((t) => t.framework_id.value === id)} />
          </div>
        );
      })}
    </section>
  );
}

function Agents({ v }: { v: ClusterView }) {
  return (
    <section>
      <h2>Agents</h2>
      <table>
        <thead>
          <tr>
            <th>Agent</th>
            <th>Host</th>
            <th>State</th>
            <th>Total</th>
            <th>Allocated</th>
            <th>Offered</th>
            <th>Reservations</th>
            <th>Executors</th>
          </tr>
        </thead>
        <tbody>
          {v.agents.map((a) => {
            const id = a.agent_info.id?.value ?? '';
            const reserved = (a.total_resources ?? []).filter((r) => (r.reservations ?? []).length > 0);
            const executors = new Set(v.tasks.filter((t) => t.agent_id.value === id && !isTerminal(t)).map((t) => t.executor_id?.value ?? t.task_id.value));
            return (
              <tr key={id}>
                <td>{id}</td>
                <td>
                  {a.agent_info.hostname}:{a.agent_info.port}
                </td>
                <td>{a.deactivated ? 'deactivated' : a.active ? 'active' : 'disconnected'}</td>
                <td>{res(amounts(a.total_resources))}</td>
                <td>{res(amounts(a.allocated_resources))}</td>
                <td>{res(amounts(a.offered_resources))}</td>
                <td>{reserved.length === 0 ? 'none' : reserved.map((r) => `${r.name}:${fmt(r.scalar?.value ?? 0)} for ${r.reservations!.at(-1)!.role ?? ''}`).join(', ')}</td>
                <td>{[...executors].join(', ') || 'none'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

const TERMINAL = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR']);
const isTerminal = (t: Task) => TERMINAL.has(t.state);

function TaskPage({ v, query }: { v: ClusterView; query: URLSearchParams }) {
  const t = v.tasks.find((x) => x.framework_id.value === query.get('framework') && x.task_id.value === query.get('task'));
  if (!t)
    return (
      <p class="empty">
        No task {query.get('task')} of framework {query.get('framework')} (yet).
      </p>
    );
  return (
    <section>
      <h2>
        Task {t.task_id.value} <span class={`state ${t.state}`}>{t.state}</span>
      </h2>
      <p>
        {t.name} of {frameworkName(v, t.framework_id.value)} on {agentOf(v, t.agent_id.value)?.agent_info.hostname ?? t.agent_id.value}: {res(amounts(t.resources))}.{' '}
        <a id="sandbox-link" href={link('/sandbox', { agent: t.agent_id.value, path: sandboxPath(t) })}>
          Sandbox
        </a>
      </p>
      <h3>Status updates</h3>
      <table id="history">
        <thead>
          <tr>
            <th>Time</th>
            <th>State</th>
            <th>Source</th>
            <th>Reason</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {(t.statuses ?? []).map((s, i) => (
            <tr key={i}>
              <td>{when(s.timestamp)}</td>
              <td class={`state ${s.state}`}>{s.state}</td>
              <td>{s.source ?? ''}</td>
              <td>{s.reason ?? ''}</td>
              <td>{s.message ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface FileEntry {
  path: string;
  size: number;
  mode: string;
  mtime: number;
}

function Sandbox({ v, query }: { v: ClusterView; query: URLSearchParams }) {
  const agent = agentOf(v, query.get('agent') ?? '');
  const path = query.get('path') ?? '';
  const base = agentUrl(agent);
  const [entries, setEntries] = useState<FileEntry[] | string>('loading');
  useEffect(() => {
    if (!base) return;
    jsonp<FileEntry[]>(`${base}/files/browse?path=${encodeURIComponent(path)}`).then(setEntries, (e: Error) => setEntries(e.message));
  }, [base, path]);
  if (!base) return <p class="empty">Agent {query.get('agent')} is not registered.</p>;
  const up = path.split('/').slice(0, -1).join('/');
  return (
    <section>
      <h2>Sandbox</h2>
      <p class="path">{path}</p>
      {typeof entries === 'string' ? (
        <p class="empty">{entries}</p>
      ) : (
        <table id="files">
          <thead>
            <tr>
              <th>Mode</th>
              <th>Size</th>
              <th>Name</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {/\/runs\/latest$/.test(path) ? null : (
              <tr>
                <td />
                <td />
                <td>
                  <a href={link('/sandbox', { agent: query.get('agent')!, path: up })}>..</a>
                </td>
                <td />
              </tr>
            )}
            {entries.map((f) => {
              const name = f.path.split('/').at(-1)!;
              const dir = f.mode.startsWith('d');
              return (
                <tr key={f.path}>
                  <td class="mono">{f.mode}</td>
                  <td>{f.size}</td>
                  <td>
                    <a data-file={name} href={link(dir ? '/sandbox' : '/file', { agent: query.get('agent')!, path: f.path })}>
                      {name}
                    </a>
                  </td>
                  <td>{dir ? '' : <a href={`${base}/files/download?path=${encodeURIComponent(f.path)}`}>download</a>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** 64 KiB: one `/files/read` (Mesos caps a read at 16 pages). */
const READ_LENGTH = 65536;

function FileView({ v, query }: { v: ClusterView; query: URLSearchParams }) {
  const base = agentUrl(agentOf(v, query.get('agent') ?? ''));
  const path = query.get('path') ?? '';
  const [text, setText] = useState<{ data: string } | { error: string }>({ data: '' });
  useEffect(() => {
    if (!base) return;
    jsonp<{ data: string; offset: number }>(`${base}/files/read?path=${encodeURIComponent(path)}&offset=0&length=${READ_LENGTH}`).then(
      (r) => setText({ data: r.data }),
      (e: Error) => setText({ error: e.message }),
    );
  }, [base, path]);
  if (!base) return <p class="empty">Agent {query.get('agent')} is not registered.</p>;
  return (
    <section>
      <h2>{path.split('/').at(-1)}</h2>
      <p class="path">
        {path} (<a href={`${base}/files/download?path=${encodeURIComponent(path)}`}>download</a>)
      </p>
      {'error' in text ? <p class="empty">{text.error}</p> : <pre id="file-content">{text.data}</pre>}
    </section>
  );
}

function App() {
  const { view, connection } = useCluster();
  const { path, query } = useRoute();
  const page =
    path === '/frameworks' ? (
      <Frameworks v={view} />
    ) : path === '/agents' ? (
      <Agents v={view} />
    ) : path === '/task' ? (
      <TaskPage v={view} query={query} />
    ) : path === '/sandbox' ? (
      <Sandbox v={view} query={query} />
    ) : path === '/file' ? (
      <FileView v={view} query={query} />
    ) : (
      <Overview v={view} />
    );
  return (
    <>
      <header>
        <h1>mesos-ref</h1>
        <nav>
          <a href="#/">Overview</a>
          <a href="#/frameworks">Frameworks</a>
          <a href="#/agents">Agents</a>
        </nav>
        <span id="connection" class={connection}>
          {connection === 'live'
            ? 'live'
            : connection === 'connecting'
              ? 'connecting…'
              : connection === 'unauthorized'
                ? '401: credentials needed'
                : 'master unreachable, reconnecting…'}
        </span>
      </header>
      <main>{connection === 'unauthorized' ? <CredentialsNeeded /> : page}</main>
    </>
  );
}

/**
 * What the page shows when the master wants credentials it was not given: its operator API is
 * behind --authenticate_http_readonly, and this browser answered the Basic challenge with none
 * (no prompt, or the prompt was cancelled). Reloading asks again.
 */
function CredentialsNeeded() {
  return (
    <div class="panel violation" id="auth-needed">
      <h2>401: credentials needed</h2>
      <p>
        This master runs with <span class="mono">--authenticate_http_readonly</span>: its operator API answers only requests that carry a principal and secret from its{' '}
        <span class="mono">--credentials</span> file (HTTP Basic). The browser asks for them when the page reads the master; it sent none, or the prompt was cancelled.
      </p>
      <p>
        <button id="auth-retry" onClick={() => location.reload()}>
          Reload and sign in
        </button>
      </p>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
