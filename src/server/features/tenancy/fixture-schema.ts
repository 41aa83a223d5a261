import Ajv2020Module, { type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ExceptionStatus, Severity, WorkflowStatus } from '../findings/tables.ts';
import type { RunOutcome, RunStatus } from '../operation-runs/tables.ts';
import schema from './fixture.schema.json' with { type: 'json' };
import type { Role } from './tables.ts';

// Both packages are CommonJS with an `exports.default`; depending on the loader the class sits on either.
const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;

export interface FixtureWorkspace {
  key: string;
  name: string;
  slug?: string;
}
export interface FixtureUser {
  key: string;
  email: string;
  display_name: string;
  password?: string;
  api_token?: string;
  active?: boolean;
}
export interface FixtureWorkspaceMembership {
  workspace: string;
  user: string;
  role: Role;
}
export interface FixtureTenant {
  key: string;
  workspace: string;
  external_id: string;
  name: string;
}
export interface FixtureTenantMembership {
  tenant: string;
  user: string;
  role: Role;
}
export interface FixtureOperationRun {
  key: string;
  workspace: string;
  tenant?: string | null;
  type: string;
  status: RunStatus;
  outcome?: RunOutcome | null;
  summary?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
}
export interface FixtureFinding {
  key: string;
  tenant: string;
  title: string;
  severity: Severity;
  workflow_status: WorkflowStatus;
  detected_at?: string;
  owner?: string | null;
  assignee?: string | null;
}
export interface FixtureFindingException {
  key: string;
  finding: string;
  owner: string;
  requested_by: string;
  request_reason: string;
  review_due_at: string;
  expires_at?: string | null;
  status: ExceptionStatus;
}

/** The shape of `fixture.schema.json`; a value of this type has passed `validateFixtureSchema`. */
export interface Fixture {
  workspaces?: FixtureWorkspace[];
  users?: FixtureUser[];
  workspace_memberships?: FixtureWorkspaceMembership[];
  tenants?: FixtureTenant[];
  tenant_memberships?: FixtureTenantMembership[];
  operation_runs?: FixtureOperationRun[];
  findings?: FixtureFinding[];
  finding_exceptions?: FixtureFindingException[];
}

// Compiled on first use: compiling the schema is the slowest part of importing this module, which the server
// imports (for isEmail) at every start, and only the fixture loader validates.
let validate: ReturnType<InstanceType<typeof Ajv2020>['compile']> | undefined;
function fixtureValidator() {
  if (!validate) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    validate = ajv.compile(schema);
  }
  return validate;
}
const emailFormat = addFormats.get('email') as RegExp;

/** The schema's `format: email`, for other ways of creating users to accept the same addresses. */
export function isEmail(value: string): boolean {
  return emailFormat.test(value);
}

/** `users[0] (key "a") email` for `/users/0/email`: the record, by position and key, then the field. */
export function describeRecord(data: unknown, collection: string, index: number): string {
  const record = (data as Record<string, unknown[]>)[collection]?.[index];
  const key = (record as { key?: unknown } | undefined)?.key;
  return typeof key === 'string'
    ? `${collection}[${index}] (key ${JSON.stringify(key)})`
    : `${collection}[${index}]`;
}

function place(data: unknown, instancePath: string, field?: string): string {
  const [collection, index, ...rest] = instancePath.split('/').slice(1);
  const fieldPath = [...rest, ...(field === undefined ? [] : [field])].join('.');
  if (collection === undefined) return field ?? 'the file';
  const where = index === undefined ? collection : describeRecord(data, collection, Number(index));
  return fieldPath ? `${where} ${fieldPath}` : where;
}

function explain(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'enum') {
    return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return error.message ?? 'is invalid';
}

/** One message per field: for `key or null` fields ajv reports each branch; they read best joined. */
function describeErrors(data: unknown, errors: ErrorObject[]): string[] {
  const byPlace = new Map<string, string[]>();
  for (const error of errors) {
    if (error.keyword === 'anyOf') continue;
    const params = error.params as Record<string, unknown>;
    let at: string;
    let message: string;
    if (error.keyword === 'additionalProperties') {
      at = place(data, error.instancePath, String(params.additionalProperty));
      message = error.instancePath === '' ? 'is not a known collection' : 'is not a known field';
    } else if (error.keyword === 'required') {
      at = place(data, error.instancePath, String(params.missingProperty));
      message = 'is required';
    } else {
      at = place(data, error.instancePath);
      message = explain(error);
    }
    const messages = byPlace.get(at) ?? [];
    if (!messages.includes(message)) messages.push(message);
    byPlace.set(at, messages);
  }
  return [...byPlace].map(([at, messages]) => `${at}: ${messages.join(' or ')}`);
}

/** Checks the whole file against the published schema; returns every problem, one line each. */
export function validateFixtureSchema(data: unknown): string[] {
  const valid = fixtureValidator();
  if (valid(data)) return [];
  return describeErrors(data, valid.errors ?? []);
}
