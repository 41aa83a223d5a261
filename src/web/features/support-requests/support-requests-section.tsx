import { Anchor, Button, Group, type MantineSpacing, Stack, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import type { TenantCapability } from '../tenancy/api.ts';
import type { SupportContext } from './api.ts';
import { LatestSupportRequest } from './latest-support-request.tsx';
import { RequestSupportModal } from './request-support-modal.tsx';

interface SupportRequestsSectionProps {
  context: SupportContext;
  /** The caller's capabilities on the tenant, as the server returned them. */
  capabilities: readonly TenantCapability[];
  /** Space below the block, for pages that place it outside their own stack. */
  mb?: MantineSpacing;
}

/** On a run, "All support requests" opens the tenant's list filtered to that run (docs/rules.md "Support requests"). */
function allRequestsPath(context: SupportContext): string {
  return context.type === 'tenant'
    ? paths.tenantSupportRequests(context.tenant)
    : paths.tenantSupportRequests(context.tenant, { run: String(context.run) });
}

/** The dashboard's and the run page's support block: the action, the latest request, the way to all of them. */
export function SupportRequestsSection({ context, capabilities, mb }: SupportRequestsSectionProps) {
  const [opened, modal] = useDisclosure(false);
  const canCreate = capabilities.includes('support_requests.create');
  return (
    <Stack gap="sm" component="section" aria-labelledby="latest-support-request-heading" mb={mb}>
      <Group justify="space-between" align="center" gap="sm" mih={36}>
        <Title order={2} fz="h4" id="latest-support-request-heading">
          Latest support request
        </Title>
        <Group gap="md">
          <Anchor component={Link} to={allRequestsPath(context)} size="sm">
            All support requests
          </Anchor>
          {canCreate ? <Button onClick={modal.open}>Request support</Button> : null}
        </Group>
      </Group>
      <LatestSupportRequest context={context} />
      {canCreate ? <RequestSupportModal context={context} opened={opened} onClose={modal.close} /> : null}
    </Stack>
  );
}
