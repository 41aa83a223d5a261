/** Every URL the UI links to, built in one place. The UI lives at the same URLs as the JSON API. */
export const paths = {
  signIn: (next?: string) => (next ? `/sign-in?${new URLSearchParams({ next })}` : '/sign-in'),
  adminHome: () => '/admin',
  account: () => '/admin/me',
  invitation: (token: string) => `/invitations/${encodeURIComponent(token)}`,
  setup: (token: string) => `/setup/${encodeURIComponent(token)}`,
  tenantDashboard: (tenant: string) => `/admin/t/${encodeURIComponent(tenant)}`,
  tenantOperations: (tenant: string, filters?: Record<string, string | undefined>) =>
    withQuery(`/admin/t/${encodeURIComponent(tenant)}/operations`, filters),
  operationRun: (run: number | string) => `/admin/operations/${encodeURIComponent(String(run))}`,
  tenantSupportRequests: (tenant: string, filters?: Record<string, string | undefined>) =>
    withQuery(`/admin/t/${encodeURIComponent(tenant)}/support-requests`, filters),
  supportRequest: (tenant: string, id: number | string) =>
    `/admin/t/${encodeURIComponent(tenant)}/support-requests/${encodeURIComponent(String(id))}`,
  tenantFindings: (tenant: string, filters?: Record<string, string | undefined>) =>
    withQuery(`/admin/t/${encodeURIComponent(tenant)}/findings`, filters),
  finding: (tenant: string, finding: number | string) =>
    `/admin/t/${encodeURIComponent(tenant)}/findings/${encodeURIComponent(String(finding))}`,
  myWork: (filters?: Record<string, string | undefined>) => withQuery('/admin/my-work', filters),
  workspace: (workspace: string) => `/admin/w/${encodeURIComponent(workspace)}`,
  workspaceTenants: (workspace: string, filters?: Record<string, string | undefined>) =>
    withQuery(`/admin/w/${encodeURIComponent(workspace)}/tenants`, filters),
  workspacePeople: (workspace: string, filters?: Record<string, string | undefined>) =>
    withQuery(`/admin/w/${encodeURIComponent(workspace)}/people`, filters),
  workspacePerson: (workspace: string, user: number | string) =>
    `/admin/w/${encodeURIComponent(workspace)}/people/${encodeURIComponent(String(user))}`,
  workspaceAudit: (workspace: string, filters?: Record<string, string | undefined>) =>
    withQuery(`/admin/w/${encodeURIComponent(workspace)}/audit`, filters),
  workspaceTokens: (workspace: string) => `/admin/w/${encodeURIComponent(workspace)}/tokens`,
  workspaceSupportDesk: (workspace: string) => `/admin/w/${encodeURIComponent(workspace)}/support-desk`,
  workspaceSecurity: (workspace: string) => `/admin/w/${encodeURIComponent(workspace)}/security`,
  workspaceFindingsOverview: (workspace: string, filters?: Record<string, string | undefined>) =>
    withQuery(`/admin/w/${encodeURIComponent(workspace)}/overview`, filters),
  workspaceFindings: (workspace: string, filters?: Record<string, string | undefined>) =>
    withQuery(`/admin/w/${encodeURIComponent(workspace)}/findings`, filters),
  workspaceExceptions: (workspace: string, filters?: Record<string, string | undefined>) =>
    withQuery(`/admin/w/${encodeURIComponent(workspace)}/exceptions`, filters),
  workspaceSearch: (workspace: string, q?: string) =>
    withQuery(`/admin/w/${encodeURIComponent(workspace)}/search`, { q }),
} as const;

function withQuery(base: string, filters?: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters ?? {})) if (value) query.set(key, value);
  return query.size > 0 ? `${base}?${query}` : base;
}

/** Route patterns for the router, kept beside the builders so they cannot drift apart. */
export const routePatterns = {
  signIn: '/sign-in',
  signInRefused: '/sign-in/refused',
  admin: '/admin',
  account: '/admin/me',
  invitation: '/invitations/:token',
  setup: '/setup/:token',
  tenantDashboard: '/admin/t/:tenant',
  tenantOperations: '/admin/t/:tenant/operations',
  operationRun: '/admin/operations/:run',
  tenantSupportRequests: '/admin/t/:tenant/support-requests',
  supportRequest: '/admin/t/:tenant/support-requests/:supportRequest',
  tenantFindings: '/admin/t/:tenant/findings',
  finding: '/admin/t/:tenant/findings/:finding',
  myWork: '/admin/my-work',
  workspace: '/admin/w/:workspace',
  workspaceTenants: '/admin/w/:workspace/tenants',
  workspacePeople: '/admin/w/:workspace/people',
  workspacePerson: '/admin/w/:workspace/people/:user',
  workspaceAudit: '/admin/w/:workspace/audit',
  workspaceTokens: '/admin/w/:workspace/tokens',
  workspaceSupportDesk: '/admin/w/:workspace/support-desk',
  workspaceSecurity: '/admin/w/:workspace/security',
  workspaceFindingsOverview: '/admin/w/:workspace/overview',
  workspaceFindings: '/admin/w/:workspace/findings',
  workspaceExceptions: '/admin/w/:workspace/exceptions',
  workspaceSearch: '/admin/w/:workspace/search',
} as const;

/** `next` is only honoured when it stays on this site: a path, not `//host` or `/\host`. */
export function safeNextPath(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return paths.adminHome();
  try {
    const url = new URL(next, window.location.origin);
    if (url.origin !== window.location.origin || url.pathname === '/sign-in') return paths.adminHome();
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return paths.adminHome();
  }
}
