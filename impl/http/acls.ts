/**
 * Mesos's local authorizer (`--authorizers=local`, src/authorizer/local/authorizer.cpp) over an
 * `--acls` file in Mesos's JSON format (include/mesos/authorizer/acls.proto):
 *
 *   {"permissive": true,
 *    "teardown_frameworks": [{"principals": {"values": ["ops"]}, "framework_principals": {"type": "ANY"}}],
 *    "register_frameworks": [{"principals": {"type": "ANY"}, "roles": {"values": ["web"]}}], ...}
 *
 * For an action, the ACLs are tried in order: the first whose subject and object both match
 * decides (denied if either entity is NONE, allowed otherwise); if none matches, `permissive`
 * (default true) decides. An entity is `{"values": [...]}` or `{"type": "ANY" | "NONE"}`; a
 * request without a principal matches only ANY (and NONE, which denies).
 */
import { readFileSync } from 'node:fs';

interface Entity {
  readonly type: 'SOME' | 'ANY' | 'NONE';
  readonly values: readonly string[];
}

/** Each action: its subject field and object field in acls.proto. */
export const ACL_ACTIONS = {
  register_frameworks: ['principals', 'roles'],
  run_tasks: ['principals', 'users'],
  teardown_frameworks: ['principals', 'framework_principals'],
  view_frameworks: ['principals', 'users'],
  view_tasks: ['principals', 'users'],
  view_executors: ['principals', 'users'],
  access_sandboxes: ['principals', 'users'],
  reserve_resources: ['principals', 'roles'],
  unreserve_resources: ['principals', 'reserver_principals'],
  update_quotas: ['principals', 'roles'],
  update_weights: ['principals', 'roles'],
  register_agents: ['principals', 'agents'],
  mark_agents_gone: ['principals', 'agents'],
  drain_agents: ['principals', 'agents'],
  deactivate_agents: ['principals', 'agents'],
  reactivate_agents: ['principals', 'agents'],
} as const;

export type AclAction = keyof typeof ACL_ACTIONS;

interface Rule {
  readonly subject: Entity;
  readonly object: Entity;
}

export class AclsError extends Error {}

function parseEntity(value: unknown, where: string): Entity {
  if (value === undefined) return { type: 'ANY', values: [] };
  if (typeof value !== 'object' || value === null) throw new AclsError(`${where}: expected {"values": [...]} or {"type": "ANY"|"NONE"}`);
  const { type, values } = value as { type?: unknown; values?: unknown };
  if (values !== undefined) {
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) throw new AclsError(`${where}.values: expected an array of strings`);
    return { type: 'SOME', values: values as string[] };
  }
  if (type === 'ANY' || type === 'NONE') return { type, values: [] };
  throw new AclsError(`${where}.type: expected "ANY" or "NONE", got ${JSON.stringify(type)}`);
}

export class Acls {
  private constructor(
    private readonly permissive: boolean,
    private readonly rules: Readonly<Partial<Record<AclAction, readonly Rule[]>>>,
  ) {}

  /** Everything allowed: no --acls. */
  static readonly none = new Acls(true, {});

  static parse(text: string, file: string): Acls {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new AclsError(`${file}: not valid JSON: ${(e as Error).message}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new AclsError(`${file}: expected a JSON object`);
    const rules: Partial<Record<AclAction, Rule[]>> = {};
    let permissive = true;
    for (const [key, value] of Object.entries(json)) {
      if (key === 'permissive') {
        if (typeof value !== 'boolean') throw new AclsError(`${file}: 'permissive': expected true or false`);
        permissive = value;
        continue;
      }
      if (!(key in ACL_ACTIONS)) throw new AclsError(`${file}: '${key}': not an action the reference authorizes (${Object.keys(ACL_ACTIONS).join(', ')})`);
      const [subjectField, objectField] = ACL_ACTIONS[key as AclAction];
      if (!Array.isArray(value)) throw new AclsError(`${file}: '${key}': expected an array of ACLs`);
      rules[key as AclAction] = value.map((acl: unknown, i) => {
        const where = `${file}: '${key}[${i}]'`;
        if (typeof acl !== 'object' || acl === null) throw new AclsError(`${where}: expected an object`);
        const a = acl as Record<string, unknown>;
        return { subject: parseEntity(a[subjectField], `${where}.${subjectField}`), object: parseEntity(a[objectField], `${where}.${objectField}`) };
      });
    }
    return new Acls(permissive, rules);
  }

  static load(file: string): Acls {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new AclsError(`${file}: ${(e as Error).message}`);
    }
    return Acls.parse(text, file);
  }

  /** May `principal` (undefined: unauthenticated) do `action` on `object` (undefined: any)? */
  allows(action: AclAction, principal: string | undefined, object: string | undefined): boolean {
    for (const rule of this.rules[action] ?? []) {
      if (!matches(rule.subject, principal) || !matches(rule.object, object)) continue;
      return rule.subject.type !== 'NONE' && rule.object.type !== 'NONE';
    }
    return this.permissive;
  }
}

function matches(entity: Entity, value: string | undefined): boolean {
  if (entity.type !== 'SOME') return true;
  return value !== undefined && entity.values.includes(value);
}
