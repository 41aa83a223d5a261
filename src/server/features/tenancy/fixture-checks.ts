import { digestSecret } from './credentials.ts';
import { describeRecord, type Fixture } from './fixture-schema.ts';

/** What the database already holds that a fixture must not collide with (emails lower-cased). */
export interface ExistingData {
  emails: Set<string>;
  externalIds: Set<string>;
  slugs: Set<string>;
  tokenHashes: Set<string>;
}

type Collection = keyof Fixture;

const SLUG = /^[a-z0-9-]{1,63}$/;

/** Collects problems, each naming the record (position and key) and the field. */
class Problems {
  readonly list: string[] = [];
  constructor(private readonly data: Fixture) {}
  add(collection: Collection, index: number, field: string, message: string): void {
    this.list.push(`${describeRecord(this.data, collection, index)} ${field}: ${message}`);
  }
}

function keysOf(data: Fixture, collection: Collection, problems: Problems): Set<string> {
  const keys = new Set<string>();
  const records = (data[collection] ?? []) as { key: string }[];
  records.forEach((record, index) => {
    if (keys.has(record.key))
      problems.add(collection, index, 'key', `duplicate key ${JSON.stringify(record.key)}`);
    keys.add(record.key);
  });
  return keys;
}

interface UniqueRule {
  collection: Collection;
  field: string;
  /** One per record, in order; undefined where the record has no value. */
  values: (string | undefined)[];
  existing: Set<string>;
  /** What makes two values the same (lower-casing, a digest); `existing` holds normalized values. */
  normalize?: (value: string) => string;
  /** How the message names the value; secrets are not repeated. */
  name?: (value: string) => string;
}

/** Flags the second and later records sharing a value, and any value the database already holds. */
function checkUnique(problems: Problems, rule: UniqueRule): void {
  const {
    collection,
    field,
    existing,
    normalize = (v) => v,
    name = (v) => `${field} ${JSON.stringify(v)}`,
  } = rule;
  const seen = new Map<string, number>();
  rule.values.forEach((value, index) => {
    if (value === undefined) return;
    const normalized = normalize(value);
    const first = seen.get(normalized);
    if (first !== undefined) {
      problems.add(collection, index, field, `${name(value)} is already used by ${collection}[${first}]`);
    } else {
      if (existing.has(normalized)) {
        problems.add(collection, index, field, `${name(value)} already exists in the database`);
      }
      seen.set(normalized, index);
    }
  });
}

function checkMemberships(data: Fixture, problems: Problems, keys: Record<string, Set<string>>): void {
  const workspaceMembers = new Set<string>();
  (data.workspace_memberships ?? []).forEach((m, i) => {
    if (!keys.workspaces?.has(m.workspace))
      problems.add('workspace_memberships', i, 'workspace', unknown('workspace', m.workspace));
    if (!keys.users?.has(m.user)) problems.add('workspace_memberships', i, 'user', unknown('user', m.user));
    const pair = `${m.workspace}\u0000${m.user}`;
    if (workspaceMembers.has(pair))
      problems.add('workspace_memberships', i, 'user', 'is already a member of this workspace');
    workspaceMembers.add(pair);
  });
  const tenantWorkspace = new Map((data.tenants ?? []).map((t) => [t.key, t.workspace]));
  const tenantMembers = new Set<string>();
  (data.tenant_memberships ?? []).forEach((m, i) => {
    if (!keys.users?.has(m.user)) problems.add('tenant_memberships', i, 'user', unknown('user', m.user));
    const workspace = tenantWorkspace.get(m.tenant);
    if (workspace === undefined) {
      problems.add('tenant_memberships', i, 'tenant', unknown('tenant', m.tenant));
    } else if (keys.users?.has(m.user) && !workspaceMembers.has(`${workspace}\u0000${m.user}`)) {
      problems.add(
        'tenant_memberships',
        i,
        'user',
        `user ${JSON.stringify(m.user)} has no workspace membership of the tenant's workspace ${JSON.stringify(workspace)}`,
      );
    }
    const pair = `${m.tenant}\u0000${m.user}`;
    if (tenantMembers.has(pair))
      problems.add('tenant_memberships', i, 'user', 'is already a member of this tenant');
    tenantMembers.add(pair);
  });
}

function checkRuns(data: Fixture, problems: Problems, keys: Record<string, Set<string>>): void {
  const tenantWorkspace = new Map((data.tenants ?? []).map((t) => [t.key, t.workspace]));
  (data.operation_runs ?? []).forEach((run, i) => {
    if (!keys.workspaces?.has(run.workspace))
      problems.add('operation_runs', i, 'workspace', unknown('workspace', run.workspace));
    if (run.tenant != null) {
      const workspace = tenantWorkspace.get(run.tenant);
      if (workspace === undefined) problems.add('operation_runs', i, 'tenant', unknown('tenant', run.tenant));
      else if (workspace !== run.workspace) {
        problems.add(
          'operation_runs',
          i,
          'tenant',
          `tenant ${JSON.stringify(run.tenant)} belongs to workspace ${JSON.stringify(workspace)}, not ${JSON.stringify(run.workspace)}`,
        );
      }
    }
    if (run.outcome != null && run.status !== 'completed') {
      problems.add(
        'operation_runs',
        i,
        'outcome',
        `must be null while the status is ${JSON.stringify(run.status)}`,
      );
    }
    if (run.started_at && run.completed_at && Date.parse(run.completed_at) < Date.parse(run.started_at)) {
      problems.add('operation_runs', i, 'completed_at', 'must not be before started_at');
    }
  });
}

function checkFindings(data: Fixture, problems: Problems, keys: Record<string, Set<string>>): void {
  (data.findings ?? []).forEach((finding, i) => {
    if (!keys.tenants?.has(finding.tenant))
      problems.add('findings', i, 'tenant', unknown('tenant', finding.tenant));
    // An inactive or non-member owner/assignee is accepted on purpose: fixtures are data from elsewhere.
    for (const field of ['owner', 'assignee'] as const) {
      const user = finding[field];
      if (user != null && !keys.users?.has(user)) problems.add('findings', i, field, unknown('user', user));
    }
  });
  const pendingFor = new Set<string>();
  (data.finding_exceptions ?? []).forEach((exception, i) => {
    if (!keys.findings?.has(exception.finding))
      problems.add('finding_exceptions', i, 'finding', unknown('finding', exception.finding));
    for (const field of ['owner', 'requested_by'] as const) {
      if (!keys.users?.has(exception[field]))
        problems.add('finding_exceptions', i, field, unknown('user', exception[field]));
    }
    if (exception.expires_at && Date.parse(exception.expires_at) <= Date.parse(exception.review_due_at)) {
      problems.add('finding_exceptions', i, 'expires_at', 'must be after review_due_at');
    }
    if (exception.status === 'pending') {
      if (pendingFor.has(exception.finding)) {
        problems.add(
          'finding_exceptions',
          i,
          'status',
          `finding ${JSON.stringify(exception.finding)} already has a pending exception`,
        );
      }
      pendingFor.add(exception.finding);
    }
  });
}

function unknown(kind: string, key: string): string {
  return `unknown ${kind} key ${JSON.stringify(key)}`;
}

/** The rules between records that a JSON schema cannot express. Runs before anything is written. */
export function checkFixture(data: Fixture, existing: ExistingData): string[] {
  const problems = new Problems(data);
  const keys: Record<string, Set<string>> = {};
  for (const collection of [
    'workspaces',
    'users',
    'tenants',
    'operation_runs',
    'findings',
    'finding_exceptions',
  ] as const) {
    keys[collection] = keysOf(data, collection, problems);
  }
  const users = data.users ?? [];
  checkUnique(problems, {
    collection: 'users',
    field: 'email',
    values: users.map((u) => u.email),
    existing: existing.emails,
    normalize: (email) => email.toLowerCase(),
  });
  checkUnique(problems, {
    collection: 'users',
    field: 'api_token',
    values: users.map((u) => u.api_token),
    existing: existing.tokenHashes,
    normalize: digestSecret,
    name: () => 'this token',
  });
  const workspaces = data.workspaces ?? [];
  workspaces.forEach((workspace, i) => {
    if (workspace.slug === undefined && !SLUG.test(workspace.key)) {
      problems.add(
        'workspaces',
        i,
        'slug',
        'is required when the key is not a valid slug (a-z, 0-9 and -, at most 63)',
      );
    }
  });
  checkUnique(problems, {
    collection: 'workspaces',
    field: 'slug',
    values: workspaces.map((w) => w.slug ?? w.key),
    existing: existing.slugs,
  });
  const tenants = data.tenants ?? [];
  checkUnique(problems, {
    collection: 'tenants',
    field: 'external_id',
    values: tenants.map((t) => t.external_id),
    existing: existing.externalIds,
  });
  tenants.forEach((tenant, i) => {
    if (!keys.workspaces?.has(tenant.workspace))
      problems.add('tenants', i, 'workspace', unknown('workspace', tenant.workspace));
  });
  checkMemberships(data, problems, keys);
  checkRuns(data, problems, keys);
  checkFindings(data, problems, keys);
  return problems.list;
}
