import { and, eq } from 'drizzle-orm';
import { tenantCapabilitiesOf } from '../../core/capabilities.ts';
import { AppError } from '../../core/errors.ts';
import type { TenantScope, WorkspaceScope } from '../../core/scopes.ts';
import { type Db, runsConcurrently } from '../../db/client.ts';
import { getRunRow } from '../operation-runs/queries.ts';
import { toRunView } from '../operation-runs/service.ts';
import { findTenantEntitlement } from '../tenancy/access-queries.ts';
import { tenantMemberships } from '../tenancy/tables.ts';
import { applyAssessment, type ImportActor } from './apply.ts';
import type { Assessment } from './fields.ts';
import { readResultFile } from './formats.ts';
import { findTenantByExternalId, findTenantsByDirectoryId, type ImportTenant } from './queries.ts';
import { noCounts } from './rules.ts';
import type { ImportResult } from './schemas.ts';

type Body = AsyncIterable<Buffer | string>;
/** Tenants imported side by side on PostgreSQL: each is its own transaction (docs/rules.md "Imports"). */
const CONCURRENT_TENANTS = 4;

/** `work` on every item, at most `limit` at a time; the answers in the items' order. */
async function inParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const answers: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      answers[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return answers;
}
/** Where an assessment goes: a tenant, or the reason it is refused (nothing of it is written). */
type Routing = { tenant: ImportTenant } | { refused: string };

async function runAssessments(
  db: Db,
  actor: ImportActor,
  format: string,
  assessments: Assessment[],
  route: (assessment: Assessment) => Promise<Routing>,
): Promise<{ status: 200 | 201; body: ImportResult }> {
  const routed = await Promise.all(
    assessments.map(async (assessment) => ({ assessment, to: await route(assessment) })),
  );
  const refused = routed.flatMap(({ assessment, to }) =>
    'refused' in to
      ? [{ path: assessment.directoryPath, directory_id: assessment.directoryId, reason: to.refused }]
      : [],
  );
  if (refused.length === routed.length) {
    throw new AppError(
      'invalid',
      refused.length === 1
        ? (refused[0]?.reason ?? 'Nothing to import')
        : 'No part of the file can be imported here',
      Object.fromEntries(refused.map((part) => [part.path, part.reason])),
    );
  }
  const accepted = routed.flatMap(({ assessment, to }) =>
    'refused' in to ? [] : [{ assessment, tenant: to.tenant }],
  );
  const imports = await inParallel(
    accepted,
    runsConcurrently(db) ? CONCURRENT_TENANTS : 1,
    async ({ assessment, tenant }) => {
      const applied = await applyAssessment(db, actor, tenant, assessment);
      return {
        path: assessment.path,
        directory_id: assessment.directoryId,
        run: toRunView(await getRunRow(db, applied.runId)),
        already_imported: applied.alreadyImported,
        counts: applied.counts,
      };
    },
  );
  const counts = noCounts();
  for (const part of imports) {
    for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] += part.counts[key];
  }
  const created = imports.some((part) => !part.already_imported);
  const only = imports.length === 1 ? imports[0] : undefined;
  return {
    status: created ? 201 : 200,
    body: {
      format: format as ImportResult['format'],
      run: only?.run ?? null,
      already_imported: imports.every((part) => part.already_imported),
      counts,
      imports,
      refused,
    },
  };
}

const mismatch = (assessment: Assessment, tenant: ImportTenant) =>
  tenant.directoryId === null
    ? `${tenant.name} has no directory id: set it on the tenant (Administration → Tenants) to import its results`
    : `The file is for directory ${assessment.directoryId}, not ${tenant.name} (${tenant.directoryId})`;

/** docs/rules.md "Imports": a file into the path's tenant; a part for another directory is refused. */
export async function importIntoTenant(scope: TenantScope, body: Body) {
  const file = await readResultFile(body);
  const tenant = await findTenantByExternalId(scope.db, scope.tenant.externalId);
  if (!tenant) throw new Error(`tenant ${scope.tenant.externalId} vanished after access was resolved`);
  const actor = { userId: scope.actor.userId, clientAddress: scope.clientAddress };
  return runAssessments(scope.db, actor, file.format, file.assessments, async (assessment) =>
    assessment.directoryId === null || assessment.directoryId === tenant.directoryId
      ? { tenant }
      : { refused: mismatch(assessment, tenant) },
  );
}

/** The workspace's tenants where the actor's role allows findings.import. */
async function importableTenantIds(scope: WorkspaceScope): Promise<Set<number>> {
  const rows = await scope.db
    .select({ tenantId: tenantMemberships.tenantId, role: tenantMemberships.role })
    .from(tenantMemberships)
    .where(
      and(
        eq(tenantMemberships.workspaceId, scope.workspace.id),
        eq(tenantMemberships.userId, scope.actor.userId),
      ),
    );
  return new Set(
    rows
      .filter((row) => tenantCapabilitiesOf[row.role].includes('findings.import'))
      .map((row) => row.tenantId),
  );
}

/**
 * docs/rules.md "Imports": a file (a Maester merged file: many tenants) into the workspace, each part routed to
 * the workspace's tenant with its directory id. The tenant role decides per tenant; an actor who may import into
 * none of the workspace's tenants is refused before the file is read (403).
 */
export async function importIntoWorkspace(scope: WorkspaceScope, body: Body) {
  const allowed = await importableTenantIds(scope);
  if (allowed.size === 0) {
    throw new AppError(
      'forbidden',
      'Your tenant roles in this workspace do not allow findings.import on any tenant',
    );
  }
  const file = await readResultFile(body);
  const directoryIds = file.assessments.flatMap((a) => (a.directoryId === null ? [] : [a.directoryId]));
  const tenants = await findTenantsByDirectoryId(scope.db, directoryIds, scope.workspace.id);
  const actor = { userId: scope.actor.userId, clientAddress: scope.clientAddress };
  return runAssessments(scope.db, actor, file.format, file.assessments, async (assessment) => {
    if (assessment.directoryId === null) {
      return { refused: 'Name the tenant with directory_id, or import the file on the tenant' };
    }
    const tenant = tenants.find((t) => t.directoryId === assessment.directoryId);
    if (!tenant) return { refused: `No tenant of this workspace has directory id ${assessment.directoryId}` };
    const entitlement = await findTenantEntitlement(scope.db, scope.actor.userId, { id: tenant.id });
    if (!entitlement || !allowed.has(tenant.id)) {
      return { refused: `Your role on ${tenant.name} does not allow findings.import` };
    }
    if (tenant.archived) return { refused: `${tenant.name} is archived: it can be read, not changed` };
    return { tenant };
  });
}

/**
 * `tenantpilot import FILE [--tenant EXTERNAL_ID]`: the command line has no actor. With a tenant, as the tenant
 * route; without, each part goes to the installation's tenant with its directory id.
 */
export async function importFromCommandLine(db: Db, body: Body, externalId: string | undefined) {
  const named = externalId === undefined ? undefined : await findTenantByExternalId(db, externalId);
  if (externalId !== undefined && !named)
    throw new AppError('not_found', `No tenant has the external id ${externalId}`);
  const file = await readResultFile(body);
  const directoryIds = file.assessments.flatMap((a) => (a.directoryId === null ? [] : [a.directoryId]));
  const tenants = named ? [named] : await findTenantsByDirectoryId(db, directoryIds, null);
  const actor = { userId: null, clientAddress: null };
  return runAssessments(db, actor, file.format, file.assessments, async (assessment) => {
    const tenant = named ?? tenants.find((t) => t.directoryId === assessment.directoryId);
    if (named && assessment.directoryId !== null && assessment.directoryId !== named.directoryId) {
      return { refused: mismatch(assessment, named) };
    }
    if (!tenant) {
      return {
        refused:
          assessment.directoryId === null
            ? 'Name the tenant with --tenant, or give the file a directory_id'
            : `No tenant has directory id ${assessment.directoryId}`,
      };
    }
    if (tenant.archived) return { refused: `${tenant.name} is archived: it can be read, not changed` };
    return { tenant };
  });
}
