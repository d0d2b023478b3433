/**
 * Executor authentication tokens, as Mesos's `--authenticate_http_executors` gives them: each
 * executor is started with a JWT (HS256, signed with the agent's `--jwt_secret_key`) in
 * MESOS_EXECUTOR_AUTHENTICATION_TOKEN whose claims name its framework (`fid`), executor (`eid`)
 * and container (`cid`), and sends it as `Authorization: Bearer <token>` on every executor call.
 *
 * The key outlives the agent process (executors survive an agent restart and keep their
 * tokens): given by a file, or generated once into the work dir with mode 0600.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { errors, jwtVerify } from 'jose';

/** What a valid token says about its holder. */
export interface ExecutorClaims {
  readonly fid: string;
  readonly eid: string;
  readonly cid: string;
}

export type Authenticated = { readonly ok: true; readonly claims: ExecutorClaims } | { readonly ok: false; readonly error: string };

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class ExecutorTokens {
  /**
   * Tokens whose signature was already checked, with their claims: every executor call carries
   * its run's token, and checking an HS256 signature through WebCrypto was the agent's largest
   * cost per call in a profile. Whether the run is still live is checked on every call anyway
   * (runtime.ts authenticateExecutor), so remembering a signature never outlives its run's rights.
   */
  private readonly verified = new Map<string, ExecutorClaims>();
  private static readonly REMEMBERED = 4096;

  private constructor(private readonly key: Buffer) {}

  /** The key in `file` (Mesos's --jwt_secret_key), else the one generated into `generated`. */
  static load(file: string | undefined, generated: string): ExecutorTokens {
    if (file !== undefined) {
      const key = readFileSync(file);
      if (key.length === 0) throw new Error(`--jwt_secret_key: '${file}' is empty`);
      return new ExecutorTokens(key);
    }
    if (!existsSync(generated)) writeFileSync(generated, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    return new ExecutorTokens(readFileSync(generated));
  }

  /**
   * A token for one executor run. Signed here without a library call because the agent starts
   * executors synchronously (jose's signer is asynchronous); it is a plain HS256 JWT, and
   * `verify` checks it with jose.
   */
  sign(claims: ExecutorClaims): string {
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(JSON.stringify(claims));
    const signature = createHmac('sha256', this.key).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  }

  /** The claims of a bearer token this agent signed, or why it is not one. */
  async verify(authorization: string | undefined): Promise<Authenticated> {
    if (authorization === undefined) return { ok: false, error: "Missing 'Authorization' header: executor calls need the executor's token" };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) return { ok: false, error: "Expecting 'Authorization: Bearer <token>' for executor calls" };
    const token = match[1]!;
    const known = this.verified.get(token);
    if (known !== undefined) return { ok: true, claims: known };
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      const { fid, eid, cid } = payload as Record<string, unknown>;
      if (typeof fid !== 'string' || typeof eid !== 'string' || typeof cid !== 'string') {
        return { ok: false, error: "The token lacks one of the claims 'fid', 'eid', 'cid'" };
      }
      if (this.verified.size >= ExecutorTokens.REMEMBERED) this.verified.clear();
      this.verified.set(token, { fid, eid, cid });
      return { ok: true, claims: { fid, eid, cid } };
    } catch (e) {
      const why = e instanceof errors.JOSEError ? e.code : 'ERR_INVALID';
      return { ok: false, error: `Invalid executor token (${why})` };
    }
  }
}
