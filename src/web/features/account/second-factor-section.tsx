import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router';
import { DateTime } from '../../ui/date-time.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { Loading } from '../../ui/loading.tsx';
import { DotBadge } from '../../ui/status-badge.tsx';
import { Notice } from '../administration/notice.tsx';
import { EnrolmentModal } from './enrolment-modal.tsx';
import { DisableSecondFactorModal, RegenerateCodesModal } from './proof-modals.tsx';
import { type SecondFactorStatus, useSecondFactor } from './security-api.ts';

type Modal = 'enrol' | 'disable' | 'codes' | null;

function Status({ status, onOpen }: { status: SecondFactorStatus; onOpen: (modal: Modal) => void }) {
  if (!status.enrolled) {
    return (
      <Group justify="space-between" align="center" gap="md">
        <Stack gap={4} maw={560}>
          <DotBadge color="gray" label="Off" compact />
          <Text size="sm">
            After your password, TenantPilot asks for a code from an authenticator app on your phone: a stolen
            password alone no longer signs anyone in as you.
          </Text>
        </Stack>
        <Button size="sm" onClick={() => onOpen('enrol')}>
          Set up two-step sign-in
        </Button>
      </Group>
    );
  }
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="center" gap="md">
        <Stack gap={4}>
          <DotBadge color="green" label="On" compact />
          <Text size="sm">
            Authenticator app since <DateTime value={status.enrolled_at} />. Recovery codes left:{' '}
            <strong>{status.recovery_codes_remaining}</strong> of 10.
          </Text>
        </Stack>
        <Group gap="xs">
          <Button size="sm" variant="default" onClick={() => onOpen('codes')}>
            New recovery codes
          </Button>
          <Button size="sm" variant="default" color="red" onClick={() => onOpen('disable')}>
            Turn off
          </Button>
        </Group>
      </Group>
      {status.recovery_codes_remaining <= 2 ? (
        <Text size="sm" c="red.8">
          You are running out of recovery codes: make new ones and keep them somewhere safe.
        </Text>
      ) : null}
    </Stack>
  );
}

/** `#second-factor` on the account page: where a workspace that requires a second factor sends people. */
export function SecondFactorSection() {
  const status = useSecondFactor();
  const [modal, setModal] = useState<Modal>(null);
  const close = () => setModal(null);
  const required = status.data?.required_by ?? [];
  // Sent here by a workspace that requires it (`/admin/me#second-factor`): the section comes into view
  // and its heading takes focus, so a keyboard or screen-reader user lands where the way on is.
  const { hash } = useLocation();
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = status.data !== undefined;
  useEffect(() => {
    if (hash !== '#second-factor' || !loaded) return;
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus();
  }, [hash, loaded]);
  return (
    <Stack gap="sm" component="section" aria-labelledby="second-factor-heading" id="second-factor">
      <Title order={2} fz="h4" id="second-factor-heading" ref={heading} tabIndex={-1}>
        Two-step sign-in
      </Title>
      {status.data && !status.data.enrolled && required.length > 0 ? (
        <Notice color="yellow" title="Required by your workspace">
          {required.map((workspace) => workspace.name).join(', ')}{' '}
          {required.length === 1 ? 'requires' : 'require'} a second factor: set one up to open{' '}
          {required.length === 1 ? 'it' : 'them'} again.
        </Notice>
      ) : null}
      <Paper withBorder radius="md" p="lg">
        {status.isError ? (
          <ErrorState error={status.error} onRetry={() => status.refetch()} pageLevel={false} />
        ) : status.data ? (
          <Status status={status.data} onOpen={setModal} />
        ) : (
          <Loading label="Loading your two-step sign-in" />
        )}
      </Paper>
      <EnrolmentModal opened={modal === 'enrol'} onClose={close} />
      <DisableSecondFactorModal opened={modal === 'disable'} onClose={close} />
      <RegenerateCodesModal opened={modal === 'codes'} onClose={close} />
    </Stack>
  );
}
