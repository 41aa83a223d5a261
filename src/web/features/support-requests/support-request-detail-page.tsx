import { Anchor, DataList, Paper, Stack } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { DateTime } from '../../ui/date-time.tsx';
import { Field, Prose } from '../../ui/detail-list.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { findTenant, useSession } from '../tenancy/api.ts';
import { type SupportRequestView, useSupportRequest } from './api.ts';
import { HandoffOutcomeBadge, SeverityBadge } from './badges.tsx';
import { ContextLink, ExternalTicket } from './columns.tsx';
import { FollowThroughPanel } from './follow-through-panel.tsx';
import { modeLabels } from './labels.ts';

function SupportRequestFields({ request }: { request: SupportRequestView }) {
  return (
    <DataList withDivider labelWidth={180} size="sm">
      <Field label="Reference">{request.internal_reference}</Field>
      <Field label="Severity">
        <SeverityBadge severity={request.severity} />
      </Field>
      <Field label="Summary">
        <Prose value={request.summary} />
      </Field>
      <Field label="Reproduction notes">
        <Prose value={request.reproduction_notes} />
      </Field>
      <Field label="Contact name">
        <Prose value={request.contact_name} />
      </Field>
      <Field label="Contact email">
        {request.contact_email ? (
          <Anchor href={`mailto:${request.contact_email}`} size="sm">
            {request.contact_email}
          </Anchor>
        ) : (
          '—'
        )}
      </Field>
      <Field label="Context">
        <ContextLink request={request} />
      </Field>
      <Field label="Handoff">{modeLabels[request.handoff_mode]}</Field>
      <Field label="Outcome">
        <HandoffOutcomeBadge outcome={request.handoff_outcome} />
      </Field>
      <Field
        label={request.failure_summary && !request.external_ticket_reference ? 'Failure' : 'External ticket'}
      >
        <ExternalTicket request={request} />
      </Field>
      <Field label="Submitted">
        <DateTime value={request.submitted_at} />
      </Field>
      <Field label="Submitted by">{request.submitted_by.display_name}</Field>
    </DataList>
  );
}

export function SupportRequestDetailPage() {
  const { tenant = '', supportRequest = '' } = useParams();
  const session = useSession();
  const tenantName = findTenant(session.data, tenant)?.tenant.name ?? tenant;
  const query = useSupportRequest(tenant, supportRequest);
  const request = query.data;
  useDocumentTitle(`${request?.internal_reference ?? 'Support request'} · ${tenantName} · TenantPilot`);

  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!request) return <Loading label="Loading support request" />;

  return (
    <>
      <PageHeader
        title={`Support request ${request.internal_reference}`}
        description={`Filed by ${request.submitted_by.display_name}`}
        breadcrumbs={[
          { label: tenantName, to: paths.tenantDashboard(tenant) },
          { label: 'Support requests', to: paths.tenantSupportRequests(tenant) },
          { label: request.internal_reference },
        ]}
      />
      <Stack gap="xl">
        <Paper withBorder radius="md" p="lg">
          <SupportRequestFields request={request} />
        </Paper>
        <FollowThroughPanel tenant={tenant} request={request} />
      </Stack>
    </>
  );
}
