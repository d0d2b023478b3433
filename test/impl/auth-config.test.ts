/**
 * The security configuration on its own: credentials files in Mesos's two formats, ACLs and the
 * local authorizer's first-match rule, Basic authentication, and the non-loopback bind refusal.
 * Bad files get a message naming the file and the field.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Acls, AclsError } from '../../impl/http/acls.ts';
import { authenticate, basicAuthorization, CredentialsError, parseCredentials } from '../../impl/http/auth.ts';
import { bindRefusal, isLoopback } from '../../impl/http/bind.ts';

test('credentials: Mesos JSON, a single credential, and "principal secret" lines', () => {
  assert.equal(parseCredentials('{"credentials":[{"principal":"a","secret":"x"},{"principal":"b","secret":"y"}]}', 'f'), [
    { principal: 'a', secret: 'x' },
    { principal: 'b', secret: 'y' },
  ]);
  assert.equal(parseCredentials('{"principal":"a","secret":"x"}', 'f'), [{ principal: 'a', secret: 'x' }]);
  assert.equal(parseCredentials('a x\n\nb y\n', 'f'), [
    { principal: 'a', secret: 'x' },
    { principal: 'b', secret: 'y' },
  ]);
  assert.throws(
    () => parseCredentials('{"credentials":[{"secret":"x"}]}', 'f'),
    (e: Error) => e instanceof CredentialsError && e.message === "f: 'credentials[0]'.principal: expected a non-empty string",
  );
  assert.throws(() => parseCredentials('a b c', 'f'), /f: line 1: expected 'principal secret'/);
  assert.throws(() => parseCredentials('{nope', 'f'), /f: not valid JSON/);
});

/** Request headers as Node gives them (lower-case names). */
const basic = (principal: string, secret: string) => ({ authorization: basicAuthorization({ principal, secret }).Authorization });

test('Basic authentication: the principal of valid credentials, else why not', () => {
  const creds = [{ principal: 'a', secret: 'x' }];
  assert.equal(authenticate(basic('a', 'x'), creds, true), { ok: true, principal: 'a' });
  assert.is(authenticate({}, creds, true).ok, false);
  assert.is(authenticate(basic('a', 'y'), creds, true).ok, false);
  assert.is(authenticate({ authorization: 'Bearer t' }, creds, true).ok, false);
  // Not required: no credentials is fine (no principal); wrong ones name nobody.
  assert.equal(authenticate({}, creds, false), { ok: true, principal: undefined });
  assert.equal(authenticate(basic('a', 'y'), creds, false), { ok: true, principal: undefined });
});

test('ACLs: the first matching rule decides, NONE denies, permissive decides the rest', () => {
  const acls = Acls.parse(
    JSON.stringify({
      permissive: false,
      teardown_frameworks: [
        { principals: { values: ['ops'] }, framework_principals: { type: 'ANY' } },
        { principals: { values: ['alice'] }, framework_principals: { values: ['alice'] } },
        { principals: { type: 'ANY' }, framework_principals: { type: 'NONE' } },
      ],
    }),
    'acls.json',
  );
  assert.ok(acls.allows('teardown_frameworks', 'ops', 'bob'));
  assert.ok(acls.allows('teardown_frameworks', 'alice', 'alice'));
  assert.not.ok(acls.allows('teardown_frameworks', 'alice', 'bob'));
  assert.not.ok(acls.allows('teardown_frameworks', undefined, 'bob'));
  assert.not.ok(acls.allows('register_frameworks', 'ops', '*'), 'no rule: not permissive');
  assert.ok(Acls.none.allows('teardown_frameworks', undefined, undefined));
  assert.throws(
    () => Acls.parse('{"teardown_framework":[]}', 'a.json'),
    (e: Error) => e instanceof AclsError && /a.json: 'teardown_framework': not an action/.test(e.message),
  );
  assert.throws(() => Acls.parse('{"run_tasks":[{"users":{"type":"SOME"}}]}', 'a.json'), /a.json: 'run_tasks\[0\]'.users.type: expected "ANY" or "NONE"/);
  assert.throws(() => Acls.parse('{"permissive":"no"}', 'a.json'), /'permissive': expected true or false/);
});

test('a non-loopback bind needs authentication or --insecure; loopback never does', () => {
  for (const ip of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) assert.ok(isLoopback(ip), ip);
  for (const ip of ['0.0.0.0', '10.0.0.5', '::']) assert.not.ok(isLoopback(ip), ip);
  assert.is(bindRefusal('127.0.0.1', ['--authenticate-agents'], false), null);
  assert.is(bindRefusal('0.0.0.0', [], false), null);
  assert.is(bindRefusal('0.0.0.0', ['--authenticate-agents'], true), null);
  assert.match(bindRefusal('0.0.0.0', ['--authenticate-agents'], false)!, /refusing to bind 0.0.0.0.*--authenticate-agents is not set.*--insecure/);
});

test.run();
