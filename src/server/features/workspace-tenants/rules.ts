import { nulCharacterFields } from '../../core/text-rules.ts';
import type { TenantUpdate } from './schemas.ts';

/** What `tenants_external_id_check` allows: the tenant's URL slug. */
const EXTERNAL_ID = /^[a-z0-9-]{1,63}$/;
/** A GUID in any case; stored lower case, as `tenants_directory_id_check` requires. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** One DNS label: letters, digits and inner hyphens, 1–63 characters (RFC 1123). */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

const TEXT_FIELDS = ['external_id', 'name', 'directory_id', 'primary_domain', 'desk_customer_id'] as const;

const isBlank = (value: unknown) => typeof value === 'string' && value.trim() === '';

export const isGuid = (value: string): boolean => GUID.test(value);

/**
 * A domain a customer's mail and sign-ins use (`contoso.com`): at least two labels, at most 253
 * characters, ASCII only (other scripts in punycode), no trailing dot, a top-level label not all digits.
 */
export function isDnsName(value: string): boolean {
  if (value.length > 253) return false;
  const labels = value.split('.');
  if (labels.length < 2 || !labels.every((label) => DNS_LABEL.test(label))) return false;
  return !/^[0-9]+$/.test(labels.at(-1) ?? '');
}

/**
 * The rules of docs/rules.md "Administration" a schema cannot say, for a create (`external_id` required
 * and well formed) or an update (`external_id` refused): NUL characters, blank text, a GUID directory id,
 * a DNS primary domain. Takes the raw body, which may also have failed the schema; names every bad field.
 */
export function tenantBodyFields(body: unknown, kind: 'create' | 'update'): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const input = body as Record<string, unknown>;
  const fields = nulCharacterFields(input, TEXT_FIELDS);
  if (kind === 'update' && 'external_id' in input) {
    fields.external_id = 'cannot be changed: a tenant keeps its external_id';
  } else if (typeof input.external_id === 'string' && !EXTERNAL_ID.test(input.external_id)) {
    fields.external_id ??= 'must be 1–63 lower-case letters (a–z), digits or hyphens';
  }
  if (isBlank(input.name)) fields.name ??= 'must not be blank';
  if (isBlank(input.desk_customer_id)) fields.desk_customer_id ??= 'must not be blank; send null to clear it';
  if (typeof input.directory_id === 'string' && !isGuid(input.directory_id)) {
    fields.directory_id ??= 'must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47';
  }
  if (typeof input.primary_domain === 'string' && !isDnsName(input.primary_domain)) {
    fields.primary_domain ??= 'must be a domain name such as contoso.com';
  }
  return fields;
}

/** The facts of a tenant that administration changes, as stored and as the audit log records them. */
export interface TenantFacts {
  name: string;
  directory_id: string | null;
  primary_domain: string | null;
  desk_customer_id: string | null;
  archived: boolean;
}

/** GUIDs and domain names are case-insensitive: one spelling is stored, so uniqueness holds in any case. */
export function normalizedDirectoryId(value: string | null | undefined): string | null | undefined {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

export function normalizedDomain(value: string | null | undefined): string | null | undefined {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/** The tenant after an update: an absent field stays as it is, null clears it, a value sets it. */
export function applyTenantUpdate(current: TenantFacts, update: TenantUpdate): TenantFacts {
  const keep = <T>(given: T | undefined, stored: T): T => (given === undefined ? stored : given);
  return {
    name: keep(update.name, current.name),
    directory_id: keep(normalizedDirectoryId(update.directory_id), current.directory_id),
    primary_domain: keep(normalizedDomain(update.primary_domain), current.primary_domain),
    desk_customer_id: keep(update.desk_customer_id, current.desk_customer_id),
    archived: keep(update.archived, current.archived),
  };
}

/** Only the facts that differ, before and after: what the audit event records. */
export function tenantChanges(
  before: TenantFacts,
  after: TenantFacts,
): { before: Partial<TenantFacts>; after: Partial<TenantFacts> } | null {
  const changed = (Object.keys(after) as (keyof TenantFacts)[]).filter((key) => before[key] !== after[key]);
  if (changed.length === 0) return null;
  const pick = (facts: TenantFacts) => Object.fromEntries(changed.map((key) => [key, facts[key]]));
  return { before: pick(before), after: pick(after) };
}

export type TenantUpdateAction = 'tenant.updated' | 'tenant.archived' | 'tenant.restored';

/** The audit action of a change: archiving or restoring names it, whatever else changed with it. */
export function tenantUpdateAction(before: TenantFacts, after: TenantFacts): TenantUpdateAction {
  if (!before.archived && after.archived) return 'tenant.archived';
  if (before.archived && !after.archived) return 'tenant.restored';
  return 'tenant.updated';
}

/**
 * docs/rules.md "Administration": an archived tenant refuses every change (409) except being restored,
 * which may bring other changes with it. A request that changes nothing is no change, and is answered
 * as one (200, nothing written) so that a retried request gets the same answer.
 */
export function refusesArchivedChange(before: TenantFacts, after: TenantFacts): boolean {
  return before.archived && after.archived && tenantChanges(before, after) !== null;
}

/** A LIKE pattern matching `text` anywhere, its wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
