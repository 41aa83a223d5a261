import { type Static, Type } from 'typebox';
import { nextCursorSchema, PageQuery } from '../../core/pagination.ts';
import { Nullable } from '../../core/schema-parts.ts';

const DateTime = Type.String({ format: 'date-time' });

/** `json` (the default) answers one page; `csv` streams every matching event as a download. */
export const auditFormats = ['json', 'csv'] as const;
export const AuditFormat = Type.Enum(auditFormats);
export type AuditFormat = Static<typeof AuditFormat>;

/** An action as written (`member.role_changed`), or a prefix of whole words ending in a dot (`member.`). */
export const AUDIT_ACTION_PATTERN = '^[a-z0-9_]+(\\.[a-z0-9_]+)*\\.?$';

export const AuditQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    actor: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'The acting user id' }),
    ),
    action: Type.Optional(
      Type.String({
        maxLength: 100,
        pattern: AUDIT_ACTION_PATTERN,
        description: 'An exact action (`tenant.archived`), or a prefix ending in `.` (`member.`)',
      }),
    ),
    subject_type: Type.Optional(
      Type.String({ maxLength: 100, pattern: '^[a-z0-9_]+$', description: 'Such as tenant, user, finding' }),
    ),
    tenant: Type.Optional(
      Type.String({ pattern: '^[a-z0-9-]{1,63}$', description: "A tenant's external_id in this workspace" }),
    ),
    from: Type.Optional(
      Type.String({ format: 'date-time', description: 'Events at or after this moment (inclusive)' }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date-time', description: 'Events before this moment (exclusive)' }),
    ),
    format: Type.Optional(AuditFormat),
  }),
]);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditActor = Type.Object({ id: Type.Integer(), display_name: Type.String() });
export type AuditActor = Static<typeof AuditActor>;

export const AuditTenant = Type.Object({ external_id: Type.String(), name: Type.String() });
export type AuditTenant = Static<typeof AuditTenant>;

/** One audit event. `actor` is null for the command line; `tenant` is null outside a tenant. */
export const AuditEventView = Type.Object({
  id: Type.Integer(),
  at: DateTime,
  action: Type.String(),
  actor: Nullable(AuditActor),
  subject_type: Type.String(),
  subject_id: Type.String(),
  tenant: Nullable(AuditTenant),
  before: Type.Unknown({ description: 'The subject before the change (JSON), or null' }),
  after: Type.Unknown({ description: 'The subject after the change (JSON), or null' }),
  client_address: Nullable(Type.String()),
});
export type AuditEventView = Static<typeof AuditEventView>;

export const AuditPage = Type.Object({ items: Type.Array(AuditEventView), next_cursor: nextCursorSchema });
export type AuditPage = Static<typeof AuditPage>;
