import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { ErrorState } from '../../ui/error-state.tsx';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PASSWORD_RULE, useMe } from './api.ts';
import { PasswordModal } from './password-modal.tsx';
import { ProfileSection } from './profile-section.tsx';
import { SecondFactorSection } from './second-factor-section.tsx';
import { SessionsSection } from './sessions-section.tsx';
import { TokensSection } from './tokens-section.tsx';

function PasswordSection() {
  const [opened, setOpened] = useState(false);
  return (
    <Stack gap="sm" component="section" aria-labelledby="password-heading">
      <Title order={2} fz="h4" id="password-heading">
        Password
      </Title>
      <Paper withBorder radius="md" p="lg">
        <Group justify="space-between" align="center" gap="md">
          <Text size="sm" maw={560}>
            {PASSWORD_RULE} Changing it signs you out everywhere else.
          </Text>
          <Button variant="default" size="sm" onClick={() => setOpened(true)}>
            Change password
          </Button>
        </Group>
      </Paper>
      <PasswordModal opened={opened} onClose={() => setOpened(false)} />
    </Stack>
  );
}

/** `/admin/me`: the signed-in person's own profile, password, two-step sign-in, sessions and API tokens. */
export function AccountPage() {
  useDocumentTitle('Your account · TenantPilot');
  const me = useMe();
  if (me.isError) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  if (!me.data) return <Loading label="Loading your account" />;
  return (
    <>
      <PageHeader title="Your account" description={me.data.email} />
      <Stack gap="xl">
        <ProfileSection me={me.data} />
        <PasswordSection />
        <SecondFactorSection />
        <SessionsSection />
        <TokensSection />
      </Stack>
    </>
  );
}
