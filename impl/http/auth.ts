/**
 * HTTP Basic authentication as Mesos's default authenticator (`basic`) does it: a `--credentials`
 * file lists principals and secrets, a request presents `Authorization: Basic
 * base64(principal:secret)`, a missing or wrong one is 401 with `WWW-Authenticate: Basic
 * realm="..."`. Agents and clients present a single `--credential`.
 *
 * File formats (Mesos's docs/authentication.md): JSON `{"credentials": [{"principal": "p",
 * "secret": "s"}]}` (a single credential: `{"principal": "p", "secret": "s"}`), or text with
 * one `principal secret` pair a line.
 */
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';

export interface Credential {
  readonly principal: string;
  readonly secret: string;
}

/** A bad credentials file: the message names the file and the field. */
export class CredentialsError extends Error {}

function parseEntry(value: unknown, where: string): Credential {
  if (typeof value !== 'object' || value === null) throw new CredentialsError(`${where}: expected an object with 'principal' and 'secret'`);
  const { principal, secret } = value as Record<string, unknown>;
  if (typeof principal !== 'string' || principal === '') throw new CredentialsError(`${where}.principal: expected a non-empty string`);
  if (typeof secret !== 'string') throw new CredentialsError(`${where}.secret: expected a string`);
  return { principal, secret };
}

/** Every credential in a `--credentials` (or `--credential`) file. */
export function parseCredentials(text: string, file: string): Credential[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (e) {
      throw new CredentialsError(`${file}: not valid JSON: ${(e as Error).message}`);
    }
    const list = (json as { credentials?: unknown }).credentials;
    if (list === undefined) return [parseEntry(json, `${file}: '(root)'`)];
    if (!Array.isArray(list)) throw new CredentialsError(`${file}: 'credentials': expected an array`);
    return list.map((c, i) => parseEntry(c, `${file}: 'credentials[${i}]'`));
  }
  const out: Credential[] = [];
  trimmed.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 2) throw new CredentialsError(`${file}: line ${i + 1}: expected 'principal secret'`);
    out.push({ principal: parts[0]!, secret: parts[1]! });
  });
  return out;
}

export function loadCredentials(file: string): Credential[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CredentialsError(`${file}: ${(e as Error).message}`);
  }
  const list = parseCredentials(text, file);
  if (list.length === 0) throw new CredentialsError(`${file}: no credentials`);
  return list;
}

/** `--credential`: the one credential an agent or a client presents. */
export function loadCredential(file: string): Credential {
  const list = loadCredentials(file);
  if (list.length !== 1) throw new CredentialsError(`${file}: expected exactly one credential, found ${list.length}`);
  return list[0]!;
}

/** The `Authorization` header for a credential. */
export const basicAuthorization = (c: Credential): Record<string, string> => ({
  Authorization: `Basic ${Buffer.from(`${c.principal}:${c.secret}`, 'utf8').toString('base64')}`,
});

export type Authentication = { readonly ok: true; readonly principal: string | undefined } | { readonly ok: false; readonly message: string };

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Who sent the request, when `required`: the principal of valid Basic credentials, or why not.
 * When not required, valid credentials still name a principal (Mesos authenticates whatever
 * comes with credentials), and absent ones give none.
 */
export function authenticate(headers: IncomingHttpHeaders, credentials: readonly Credential[], required: boolean): Authentication {
  const header = headers.authorization;
  if (header === undefined) return required ? { ok: false, message: "Missing 'Authorization' header: this endpoint requires authentication" } : { ok: true, principal: undefined };
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match) return required ? { ok: false, message: "Expecting 'Authorization: Basic <base64 of principal:secret>'" } : { ok: true, principal: undefined };
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const principal = colon < 0 ? decoded : decoded.slice(0, colon);
  const secret = colon < 0 ? '' : decoded.slice(colon + 1);
  const known = credentials.find((c) => c.principal === principal);
  if (known && sameText(known.secret, secret)) return { ok: true, principal };
  return required ? { ok: false, message: `Invalid credentials for principal '${principal}'` } : { ok: true, principal: undefined };
}

/** libprocess's Unauthorized: 401 with the realm's challenge. */
export const unauthorizedHeaders = (realm: string): Record<string, string> => ({ 'WWW-Authenticate': `Basic realm="${realm}"` });
