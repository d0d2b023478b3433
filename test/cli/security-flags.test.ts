/**
 * The security flags in Mesos's spelling (`--authenticate_frameworks`, `--authenticate_http_executors`,
 * ...), their `=true` / `=false` forms, and today's dashed spellings as aliases: parsed by the
 * real `master` and `agent` commands (their actions swapped for a recorder, so nothing starts).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { masterSecurity, registerMaster } from '../../cli/master.ts';
import { parseAgentFlags, registerAgent } from '../../cli/agent.ts';

/** The options `command` parses from `args`, or the error commander raised. */
function parse(register: (p: Command) => void, command: string, args: string[]): Record<string, unknown> | string {
  const program = new Command().exitOverride();
  register(program);
  const sub = program.commands.find((c) => c.name() === command)!;
  sub.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  let seen: Record<string, unknown> = {};
  sub.action((opts: Record<string, unknown>) => {
    seen = opts;
  });
  try {
    program.parse([command, ...args], { from: 'user' });
  } catch (e) {
    return (e as Error).message;
  }
  return seen;
}

const master = (...args: string[]) => parse(registerMaster, 'master', args) as Record<string, unknown>;
const agent = (...args: string[]) => parse(registerAgent, 'agent', ['--master', 'http://127.0.0.1:5050', ...args]) as Record<string, unknown>;

test("master: Mesos's spellings, bare and =true/=false, and the dashed aliases set the same options", () => {
  const mesos = master(
    '--authenticate_frameworks',
    '--authenticate_agents=true',
    '--authenticate_http_readonly=false',
    '--authenticate_http_readwrite',
    '--credentials',
    'c.json',
    '--acls',
    'a.json',
    '--authorizers',
    'local',
  );
  const dashed = master('--authenticate-frameworks', '--authenticate-agents', '--authenticate-http-readwrite', '--credentials', 'c.json', '--acls', 'a.json');
  for (const o of [mesos, dashed]) {
    assert.is(o.authenticateFrameworks, true);
    assert.is(o.authenticateAgents, true);
    assert.is(o.authenticateHttpReadwrite, true);
    assert.is(o.credentials, 'c.json');
    assert.is(o.acls, 'a.json');
    assert.is(o.authorizers, 'local');
  }
  assert.is(mesos.authenticateHttpReadonly, false);
  assert.is(dashed.authenticateHttpReadonly, undefined);
});

test('master: a boolean flag with another value, or another authorizer, is refused naming the flag', () => {
  assert.match(parse(registerMaster, 'master', ['--authenticate_frameworks=maybe']) as string, /--authenticate_frameworks.*expected true or false, got 'maybe'/);
  assert.throws(() => masterSecurity({ ...master(), authorizers: 'ldap' } as never), /--authorizers: only 'local'/);
  assert.throws(() => masterSecurity(master('--authenticate_frameworks') as never), /--credentials: required when any --authenticate_\* flag is set/);
});

test('agent: --authenticate_http_executors is on by default, off with =false or the --no- form; --authenticate_http_readonly and --authorizers spelled as Mesos', () => {
  assert.is(parseAgentFlags(agent() as never).authenticateHttpExecutors, true);
  assert.is(parseAgentFlags(agent('--authenticate_http_executors') as never).authenticateHttpExecutors, true);
  assert.is(parseAgentFlags(agent('--authenticate_http_executors=false') as never).authenticateHttpExecutors, false);
  assert.is(parseAgentFlags(agent('--no-authenticate-http-executors') as never).authenticateHttpExecutors, false);
  assert.is(agent('--authenticate_http_readonly').authenticateHttpReadonly, true);
  assert.is(agent('--authenticate-http-readonly').authenticateHttpReadonly, true);
  assert.throws(() => parseAgentFlags(agent('--authenticate_http_readonly') as never), /'--credentials': required with --authenticate_http_readonly/);
  assert.throws(() => parseAgentFlags(agent('--authorizers', 'ldap') as never), /'--authorizers': only 'local'/);
});

test('agent: --acls without --authenticate_http_readonly is refused, not ignored', () => {
  assert.throws(() => parseAgentFlags(agent('--acls', 'a.json') as never), /'--acls': the agent applies its ACLs to authenticated requests/);
});

test.run();
