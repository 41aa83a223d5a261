import { Box, Container } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useNavigate, useParams } from 'react-router';
import { AccountPage } from '../features/account/account-page.tsx';
import { InvitationPage } from '../features/account/invitation-page.tsx';
import { WorkspaceOverviewPage } from '../features/administration/overview-page.tsx';
import { WorkspaceSupportDeskPage } from '../features/administration/support-desk-page.tsx';
import { WorkspaceTokensPage } from '../features/administration/tokens-page.tsx';
import { WorkspaceAuditPage } from '../features/audit/audit-page.tsx';
import { FindingDetailPage } from '../features/findings/finding-detail-page.tsx';
import { FindingsListPage } from '../features/findings/findings-list-page.tsx';
import { MyWorkPage } from '../features/findings/my-work-page.tsx';
import { RunDetailPage } from '../features/operation-runs/run-detail-page.tsx';
import { RunsListPage } from '../features/operation-runs/runs-list-page.tsx';
import { WorkspacePeoplePage } from '../features/people/people-page.tsx';
import { WorkspacePersonPage } from '../features/people/person-page.tsx';
import { WorkspaceSecurityPage } from '../features/second-factor/workspace-security-page.tsx';
import { SetupPage } from '../features/setup/setup-page.tsx';
import { SupportRequestDetailPage } from '../features/support-requests/support-request-detail-page.tsx';
import { SupportRequestsListPage } from '../features/support-requests/support-requests-list-page.tsx';
import { AdminHomePage } from '../features/tenancy/admin-home-page.tsx';
import { findTenant, useSession } from '../features/tenancy/api.ts';
import { SignInPage } from '../features/tenancy/sign-in-page.tsx';
import { SignInRefusedPage } from '../features/tenancy/sign-in-refused-page.tsx';
import { TenantDashboardPage } from '../features/tenancy/tenant-dashboard-page.tsx';
import { WorkspaceFindingsPage } from '../features/workspace-findings/findings-page.tsx';
import { FindingsOverviewPage } from '../features/workspace-findings/overview-page.tsx';
import { ApprovalQueuePage } from '../features/workspace-findings/queue-page.tsx';
import { WorkspaceSearchPage } from '../features/workspace-findings/search-page.tsx';
import { WorkspaceTenantsPage } from '../features/workspace-tenants/tenants-page.tsx';
import { NotFoundState } from '../ui/access-states.tsx';
import { AdminLayout } from './admin-layout.tsx';
import { setUnauthenticatedHandler } from './http.ts';
import { paths, routePatterns } from './paths.ts';

/** A 401 from any request: client-side navigation to sign-in, coming back here afterwards. */
function UnauthenticatedRedirect() {
  const navigate = useNavigate();
  useEffect(() => {
    setUnauthenticatedHandler((currentPath) => navigate(paths.signIn(currentPath), { replace: true }));
  }, [navigate]);
  return null;
}

/** The operations list, titled with the tenant's name from the session. */
function TenantOperationsRoute() {
  const { tenant } = useParams();
  const session = useSession();
  return <RunsListPage tenantName={findTenant(session.data, tenant)?.tenant.name} />;
}

function AdminNotFound() {
  useDocumentTitle('Not found · TenantPilot');
  return <NotFoundState />;
}

function PublicNotFound() {
  useDocumentTitle('Not found · TenantPilot');
  return (
    <Box bg="gray.0" mih="100vh">
      <Container size="sm" py={80} component="main">
        <NotFoundState />
      </Container>
    </Box>
  );
}

export function AppRouter() {
  return (
    <BrowserRouter>
      <UnauthenticatedRedirect />
      <Routes>
        <Route path="/" element={<Navigate replace to={paths.adminHome()} />} />
        <Route path={routePatterns.signIn} element={<SignInPage />} />
        <Route path={routePatterns.signInRefused} element={<SignInRefusedPage />} />
        <Route path={routePatterns.invitation} element={<InvitationPage />} />
        <Route path={routePatterns.setup} element={<SetupPage />} />
        <Route path={routePatterns.admin} element={<AdminLayout />}>
          <Route index element={<AdminHomePage />} />
          <Route path={routePatterns.tenantDashboard} element={<TenantDashboardPage />} />
          <Route path={routePatterns.tenantOperations} element={<TenantOperationsRoute />} />
          <Route path={routePatterns.operationRun} element={<RunDetailPage />} />
          <Route path={routePatterns.tenantSupportRequests} element={<SupportRequestsListPage />} />
          <Route path={routePatterns.supportRequest} element={<SupportRequestDetailPage />} />
          <Route path={routePatterns.tenantFindings} element={<FindingsListPage />} />
          <Route path={routePatterns.finding} element={<FindingDetailPage />} />
          <Route path={routePatterns.myWork} element={<MyWorkPage />} />
          <Route path={routePatterns.account} element={<AccountPage />} />
          <Route path={routePatterns.workspace} element={<WorkspaceOverviewPage />} />
          <Route path={routePatterns.workspaceTenants} element={<WorkspaceTenantsPage />} />
          <Route path={routePatterns.workspacePeople} element={<WorkspacePeoplePage />} />
          <Route path={routePatterns.workspacePerson} element={<WorkspacePersonPage />} />
          <Route path={routePatterns.workspaceAudit} element={<WorkspaceAuditPage />} />
          <Route path={routePatterns.workspaceTokens} element={<WorkspaceTokensPage />} />
          <Route path={routePatterns.workspaceSupportDesk} element={<WorkspaceSupportDeskPage />} />
          <Route path={routePatterns.workspaceSecurity} element={<WorkspaceSecurityPage />} />
          <Route path={routePatterns.workspaceFindingsOverview} element={<FindingsOverviewPage />} />
          <Route path={routePatterns.workspaceFindings} element={<WorkspaceFindingsPage />} />
          <Route path={routePatterns.workspaceExceptions} element={<ApprovalQueuePage />} />
          <Route path={routePatterns.workspaceSearch} element={<WorkspaceSearchPage />} />
          <Route path="*" element={<AdminNotFound />} />
        </Route>
        <Route path="*" element={<PublicNotFound />} />
      </Routes>
    </BrowserRouter>
  );
}
