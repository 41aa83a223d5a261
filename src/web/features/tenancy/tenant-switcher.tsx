import { Group, Select, Stack, Text } from '@mantine/core';
import { useId } from '@mantine/hooks';
import { type ReactNode, useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { paths } from '../../app/paths.ts';
import { findTenant, type SessionView } from './api.ts';

interface TenantSwitcherProps {
  session: SessionView;
  /** External id of the tenant the page is about, if any. */
  currentTenant?: string;
  /** Workspace of the page when it has no tenant (a workspace-level run). */
  currentWorkspaceId?: number;
  orientation: 'horizontal' | 'vertical';
}

const TENANT_PAGE = /^\/admin\/t\/[^/]+(\/.*)?$/;
const WORKSPACE_PAGE = /^\/admin\/w\/[^/]+(?:\/([^/]+))?/;

/** The same administration page of another workspace; its overview when that page is not theirs. */
function pathForWorkspace(workspace: SessionView['workspaces'][number], pathname: string): string {
  const section = WORKSPACE_PAGE.exec(pathname)?.[1];
  const everyMember = section === 'tenants' || section === 'people';
  const owners = section !== undefined && workspace.capabilities.includes('workspace.administer');
  const base = paths.workspace(workspace.slug);
  return section && (everyMember || owners) ? `${base}/${section}` : base;
}

const RUN_PAGE = /^\/admin\/operations\/[^/]+\/?$/;

/**
 * A record page (a finding, a support request, a run) names a record of this tenant only: for another
 * tenant it would be "Not found". Its list is the corresponding page there.
 */
const RECORD_TO_LIST: [RegExp, string][] = [
  [/^\/findings\/[^/]+/, '/findings'],
  [/^\/support-requests\/[^/]+/, '/support-requests'],
];

/** List filters that name this tenant's people (a user id): they mean nothing on another tenant. */
function portableQuery(search: string): string {
  const query = new URLSearchParams(search);
  query.delete('cursor');
  for (const person of ['owner', 'assignee']) {
    const value = query.get(person);
    if (value && value !== 'me' && value !== 'none') query.delete(person);
  }
  return query.size > 0 ? `?${query}` : '';
}

/**
 * The corresponding page of another tenant: the same list (with its filters), the list a record page
 * belongs to, the operations list from a run, else the dashboard.
 */
function pathForTenant(externalId: string, pathname: string, search: string): string {
  const base = paths.tenantDashboard(externalId);
  if (RUN_PAGE.test(pathname)) return paths.tenantOperations(externalId);
  const subPage = TENANT_PAGE.exec(pathname)?.[1];
  if (!subPage || subPage === '/') return base;
  for (const [record, list] of RECORD_TO_LIST) if (record.test(subPage)) return `${base}${list}`;
  return `${base}${subPage}${portableQuery(search)}`;
}

type Tenant = SessionView['workspaces'][number]['tenants'][number];

/** Archived tenants stay reachable (they are readable) but leave the main list for a group of their own. */
function tenantOptions(tenants: Tenant[]) {
  const option = (tenant: Tenant) => ({ value: tenant.external_id, label: tenant.name });
  const active = tenants.filter((tenant) => !tenant.archived).map(option);
  const archived = tenants.filter((tenant) => tenant.archived).map(option);
  if (archived.length === 0) return active;
  return [
    ...(active.length > 0 ? [{ group: 'Tenants', items: active }] : []),
    { group: 'Archived (read-only)', items: archived },
  ];
}

/** Inline labels keep the header one line high; in the navbar the label sits above its field. */
function Field({ horizontal, children }: { horizontal: boolean; children: ReactNode }) {
  return horizontal ? (
    <Group gap="xs" wrap="nowrap">
      {children}
    </Group>
  ) : (
    <Stack gap={4}>{children}</Stack>
  );
}

export function TenantSwitcher({
  session,
  currentTenant,
  currentWorkspaceId,
  orientation,
}: TenantSwitcherProps) {
  const navigate = useNavigate();
  const location = useLocation();
  const workspaceInputId = useId();
  const tenantInputId = useId();
  const current = findTenant(session, currentTenant);
  const pageWorkspaceId = current?.workspace.id ?? currentWorkspaceId ?? session.workspaces[0]?.id;
  // A workspace picked here that has no tenants to navigate to yet; forgotten when the page changes.
  const [pickedWorkspaceId, setPickedWorkspaceId] = useState<number | undefined>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every page change, by design
  useEffect(() => {
    setPickedWorkspaceId(undefined);
  }, [location.pathname]);

  const workspaceId = pickedWorkspaceId ?? pageWorkspaceId;
  const workspace = session.workspaces.find((candidate) => candidate.id === workspaceId);
  const tenants = workspace?.tenants ?? [];

  const goToTenant = (externalId: string | null) => {
    if (!externalId || externalId === currentTenant) return;
    navigate(pathForTenant(externalId, location.pathname, location.search));
  };

  const chooseWorkspace = (value: string | null) => {
    const chosen = session.workspaces.find((candidate) => String(candidate.id) === value);
    if (!chosen) return;
    setPickedWorkspaceId(chosen.id);
    // On an administration page, or for a workspace with no tenant to show yet: its administration.
    if (WORKSPACE_PAGE.test(location.pathname) || chosen.tenants.length === 0) {
      if (chosen.id !== workspaceId) navigate(pathForWorkspace(chosen, location.pathname));
      return;
    }
    const first = chosen.tenants.find((tenant) => !tenant.archived) ?? chosen.tenants[0];
    if (first && chosen.id !== current?.workspace.id) goToTenant(first.external_id);
  };

  const horizontal = orientation === 'horizontal';
  const Layout = horizontal ? Group : Stack;
  const label = (htmlFor: string, text: string) => (
    <Text component="label" htmlFor={htmlFor} size="sm" fw={500} c={horizontal ? 'gray.7' : undefined}>
      {text}
    </Text>
  );

  return (
    <Layout gap={horizontal ? 'lg' : 'sm'} wrap="nowrap">
      <Field horizontal={horizontal}>
        {label(workspaceInputId, 'Workspace')}
        <Select
          id={workspaceInputId}
          data={session.workspaces.map((candidate) => ({
            value: String(candidate.id),
            label: candidate.name,
          }))}
          value={workspace ? String(workspace.id) : null}
          onChange={chooseWorkspace}
          searchable
          allowDeselect={false}
          nothingFoundMessage="No workspace matches"
          w={horizontal ? 250 : '100%'}
          comboboxProps={{ shadow: 'md' }}
        />
      </Field>
      <Field horizontal={horizontal}>
        {label(tenantInputId, 'Tenant')}
        <Select
          id={tenantInputId}
          data={tenantOptions(tenants)}
          value={current && current.workspace.id === workspace?.id ? current.tenant.external_id : null}
          onChange={goToTenant}
          placeholder={tenants.length > 0 ? 'Choose a tenant' : 'No tenants in this workspace'}
          disabled={tenants.length === 0}
          searchable
          allowDeselect={false}
          nothingFoundMessage="No tenant matches"
          w={horizontal ? 250 : '100%'}
          comboboxProps={{ shadow: 'md' }}
        />
      </Field>
    </Layout>
  );
}
