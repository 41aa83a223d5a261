import { Alert, Button, DataList, Group, Paper, Stack, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { useParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { DateTime } from '../../ui/date-time.tsx';
import { Field } from '../../ui/detail-list.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { ToolReport } from '../imports/tool-report.tsx';
import { type FindingDetailSurface, type Member, useFinding, useTenantMembers } from './api.ts';
import { AssignModal } from './assign-modal.tsx';
import { GapMarker, ResponsibilityBadge, SeverityBadge, WorkflowBadge } from './badges.tsx';
import { PersonName } from './columns.tsx';
import { ExceptionPanel } from './exception-panel.tsx';
import { ExceptionRequestModal } from './exception-request-modal.tsx';
import { HistoryTimeline, type NameBook } from './history-timeline.tsx';
import { StatusButtons, StatusModal, type StatusMove } from './status-actions.tsx';

function nameBook(finding: FindingDetailSurface, members: Member[]): NameBook {
  const book: NameBook = new Map(members.map((member) => [member.id, member.display_name]));
  const people = [finding.owner, finding.assignee, finding.exception_owner];
  for (const exception of finding.exceptions)
    people.push(exception.owner, exception.requested_by, exception.decided_by);
  for (const person of people) if (person) book.set(person.id, person.display_name);
  return book;
}

function gapExplanation(finding: FindingDetailSurface): string {
  return finding.owner
    ? `${finding.owner.display_name} is no longer an active member of this tenant: choose a new owner.`
    : 'Nobody is accountable for this finding: choose an owner.';
}

function Summary({ finding }: { finding: FindingDetailSurface }) {
  const accepted = finding.workflow_status === 'risk_accepted' && finding.exception?.status === 'approved';
  return (
    <Paper withBorder radius="md" p="lg">
      <DataList withDivider labelWidth={160} size="sm">
        <Field label="Severity">
          <SeverityBadge severity={finding.severity} />
        </Field>
        <Field label="Workflow status">
          <Stack gap={4} align="flex-start">
            <WorkflowBadge status={finding.workflow_status} />
            {accepted && finding.exception ? (
              <Text size="sm" c="dimmed">
                An approved exception accepts the risk{' '}
                {finding.exception.expires_at
                  ? `until ${formatDateTime(finding.exception.expires_at)}`
                  : 'with no expiry'}
                .
              </Text>
            ) : null}
          </Stack>
        </Field>
        <Field label="Responsibility">
          <Stack gap={4} align="flex-start">
            <Group gap="xs">
              <ResponsibilityBadge state={finding.responsibility_state} />
              {finding.accountability_gap ? <GapMarker /> : null}
            </Group>
            {finding.accountability_gap ? (
              <Text size="sm" c="red.9">
                {gapExplanation(finding)}
              </Text>
            ) : null}
          </Stack>
        </Field>
        <Field label="Owner">
          <PersonName user={finding.owner} none="No owner" />
        </Field>
        <Field label="Assignee">
          <PersonName user={finding.assignee} none="Unassigned" />
        </Field>
        <Field label="Exception owner">
          <PersonName user={finding.exception_owner} none="No current exception" />
        </Field>
        <Field label="Detected">
          <DateTime value={finding.detected_at} />
        </Field>
      </DataList>
    </Paper>
  );
}

type OpenModal = 'assign' | 'exception' | StatusMove | null;

function Actions({ finding, onOpen }: { finding: FindingDetailSurface; onOpen: (modal: OpenModal) => void }) {
  const canAssign = finding.capabilities.includes('findings.assign');
  const canRequest = finding.capabilities.includes('finding_exceptions.request');
  const pending = finding.exception?.status === 'pending';
  // docs/rules.md "Finding lifecycle": exceptions are requested on open findings only.
  const open = ['new', 'triaged', 'in_progress', 'reopened'].includes(finding.workflow_status);
  return (
    <>
      <StatusButtons finding={finding} onMove={onOpen} />
      {canAssign ? <Button onClick={() => onOpen('assign')}>Assign</Button> : null}
      {canRequest && !pending && open ? (
        <Button variant="default" onClick={() => onOpen('exception')}>
          Request exception
        </Button>
      ) : null}
    </>
  );
}

export function FindingDetailPage() {
  const { tenant = '', finding: findingId = '' } = useParams();
  const query = useFinding(tenant, findingId);
  const members = useTenantMembers(tenant, query.isSuccess);
  const [modal, setModal] = useState<OpenModal>(null);
  // The last move asked for stays after closing, so its modal can close (and return focus) in place.
  const [lastMove, setLastMove] = useState<StatusMove | null>(null);
  const openModal = (next: OpenModal) => {
    if (next !== null && next !== 'assign' && next !== 'exception') setLastMove(next);
    setModal(next);
  };

  const finding = query.data;
  useDocumentTitle(finding ? `${finding.title} · Findings · TenantPilot` : 'Finding · TenantPilot');

  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!finding) return <Loading label="Loading finding" />;

  const pending = finding.exception?.status === 'pending';
  return (
    <>
      <PageHeader
        title={finding.title}
        description={`Finding #${finding.finding_id} · ${finding.tenant.name}`}
        breadcrumbs={[
          { label: finding.tenant.name, to: paths.tenantDashboard(tenant) },
          { label: 'Findings', to: paths.tenantFindings(tenant) },
          { label: `Finding #${finding.finding_id}` },
        ]}
        actions={<Actions finding={finding} onOpen={openModal} />}
      />
      <Stack gap="xl">
        {pending && finding.capabilities.includes('finding_exceptions.request') ? (
          <Alert color="indigo" variant="light" title="An exception request is pending">
            Only one request can be pending at a time: an owner-role member approves or rejects it below.
          </Alert>
        ) : null}
        <Summary finding={finding} />
        <ToolReport finding={finding} />
        <ExceptionPanel finding={finding} tenant={tenant} />
        <HistoryTimeline
          tenant={tenant}
          findingId={findingId}
          book={nameBook(finding, members.data?.items ?? [])}
        />
      </Stack>
      <AssignModal
        tenant={tenant}
        finding={finding}
        opened={modal === 'assign'}
        onClose={() => setModal(null)}
      />
      <ExceptionRequestModal
        tenant={tenant}
        finding={finding}
        opened={modal === 'exception'}
        onClose={() => setModal(null)}
      />
      {lastMove ? (
        <StatusModal
          tenant={tenant}
          finding={finding}
          move={lastMove}
          opened={modal === lastMove}
          onClose={() => setModal(null)}
        />
      ) : null}
    </>
  );
}
