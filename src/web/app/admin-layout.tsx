import { AppShell, Burger, Container, Group, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useEffect } from 'react';
import { Link, Outlet, useLocation, useMatch } from 'react-router';
import { UserMenu } from '../features/account/user-menu.tsx';
import {
  AdministrationNavigation,
  administeredWorkspace,
} from '../features/administration/admin-navigation.tsx';
import { useRun } from '../features/operation-runs/api.ts';
import { findTenant, type SessionView, useSession } from '../features/tenancy/api.ts';
import { TenantSwitcher } from '../features/tenancy/tenant-switcher.tsx';
import { HeaderSearch } from '../features/workspace-findings/header-search.tsx';
import { WorkspaceViewsLinks } from '../features/workspace-findings/views-navigation.tsx';
import { ErrorState } from '../ui/error-state.tsx';
import { Loading } from '../ui/loading.tsx';
import classes from './layout.module.css';
import { paths, routePatterns } from './paths.ts';

/** The tenant (and workspace) the current page is about: from the URL, or from the run being shown. */
function usePageContext(session: SessionView | undefined) {
  const tenantMatch = useMatch({ path: routePatterns.tenantDashboard, end: false });
  const runMatch = useMatch(routePatterns.operationRun);
  const workspaceMatch = useMatch({ path: routePatterns.workspace, end: false });
  const run = useRun(runMatch?.params.run);
  const tenantParam = tenantMatch?.params.tenant ?? (runMatch ? run.data?.tenant?.external_id : undefined);
  const visible = findTenant(session, tenantParam);
  const workspaceSlug = workspaceMatch?.params.workspace;
  const administered = session
    ? administeredWorkspace(session, workspaceSlug, visible?.workspace.id ?? run.data?.workspace.id)
    : undefined;
  return {
    tenant: visible?.tenant.external_id,
    tenantName: visible?.tenant.name,
    workspaceId:
      visible?.workspace.id ??
      (runMatch ? run.data?.workspace.id : undefined) ??
      (workspaceSlug ? administered?.id : undefined),
    onRunPage: runMatch !== null,
    administered,
  };
}

/** Moves focus past the header and navbar: #main-content is focusable (tabIndex -1). */
function SkipLink() {
  return (
    <a href="#main-content" className={classes.skipLink}>
      Skip to content
    </a>
  );
}

interface NavigationProps {
  tenant: string | undefined;
  tenantName: string | undefined;
  onRunPage: boolean;
}

function Navigation({ tenant, tenantName, onRunPage }: NavigationProps) {
  const { pathname } = useLocation();
  if (!tenant) {
    return (
      <Text size="sm" c="dimmed" px="sm">
        Choose a tenant to see its dashboard, operations, findings and support requests.
      </Text>
    );
  }
  const under = (base: string) => pathname === base || pathname.startsWith(`${base}/`);
  const operations = paths.tenantOperations(tenant);
  const links = [
    { label: 'Dashboard', to: paths.tenantDashboard(tenant), exact: true },
    { label: 'Operations', to: operations, active: pathname === operations || onRunPage },
    { label: 'Findings', to: paths.tenantFindings(tenant) },
    { label: 'Support requests', to: paths.tenantSupportRequests(tenant) },
  ].map((link) => ({
    ...link,
    active: link.active ?? (link.exact ? pathname === link.to : under(link.to)),
  }));
  return (
    <Stack gap={2}>
      <Text size="xs" fw={700} c="dimmed" px="sm" pb={6} truncate="end">
        {tenantName}
      </Text>
      {links.map((link) => (
        <NavLink
          key={link.label}
          component={Link}
          to={link.to}
          label={link.label}
          active={link.active}
          aria-current={link.active ? 'page' : undefined}
        />
      ))}
    </Stack>
  );
}

/** Workspace-wide: the signed-in user's findings across every tenant, whatever tenant is chosen. */
function MyWorkLink() {
  const active = useMatch(routePatterns.myWork) !== null;
  return (
    <NavLink
      component={Link}
      to={paths.myWork()}
      label="My work"
      active={active}
      aria-current={active ? 'page' : undefined}
    />
  );
}

export function AdminLayout() {
  const session = useSession();
  const context = usePageContext(session.data);
  const [navbarOpened, navbar] = useDisclosure(false);
  const wide = useMediaQuery('(min-width: 62em)', true, { getInitialValueInEffect: false });
  const { pathname } = useLocation();

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every page change, by design
  useEffect(() => {
    navbar.close();
    window.scrollTo(0, 0);
  }, [pathname, navbar.close]);

  if (session.isError) {
    return (
      <Container size="sm" component="main" py="xl">
        <ErrorState error={session.error} onRetry={() => session.refetch()} />
      </Container>
    );
  }
  if (!session.data) return <Loading label="Loading your session" />;

  const switcher = (
    <TenantSwitcher
      session={session.data}
      currentTenant={context.tenant}
      currentWorkspaceId={context.workspaceId}
      orientation={wide ? 'horizontal' : 'vertical'}
    />
  );

  return (
    <>
      <SkipLink />
      <AppShell
        header={{ height: 64 }}
        navbar={{ width: 240, breakpoint: 'md', collapsed: { mobile: !navbarOpened } }}
        padding="lg"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="lg">
            <Group gap="md" wrap="nowrap">
              <Burger
                opened={navbarOpened}
                onClick={navbar.toggle}
                hiddenFrom="md"
                size="sm"
                aria-label={navbarOpened ? 'Close navigation' : 'Open navigation'}
              />
              <Text component={Link} to={paths.adminHome()} fw={700} fz="lg" c="indigo.8" td="none">
                TenantPilot
              </Text>
              {wide ? switcher : null}
            </Group>
            <HeaderSearch workspace={context.administered?.slug} />
            <UserMenu user={session.data.user} />
          </Group>
        </AppShell.Header>

        <AppShell.Navbar p="md" aria-label="Main navigation">
          <Stack gap="lg">
            {wide ? null : switcher}
            <Navigation
              tenant={context.tenant}
              tenantName={context.tenantName}
              onRunPage={context.onRunPage}
            />
            <MyWorkLink />
            <WorkspaceViewsLinks workspace={context.administered} />
            <AdministrationNavigation workspace={context.administered} />
          </Stack>
        </AppShell.Navbar>

        <AppShell.Main id="main-content" tabIndex={-1} className={classes.main}>
          <Container size="xl" px={0}>
            <Outlet />
          </Container>
        </AppShell.Main>
      </AppShell>
    </>
  );
}
