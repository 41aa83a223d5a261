import { List, Text } from '@mantine/core';
import { ActionModal } from '../../ui/action-modal.tsx';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { Notice } from '../administration/notice.tsx';
import { useUpdateTenant, type WorkspaceTenant } from './api.ts';

interface ArchiveModalProps {
  workspace: string;
  tenant: WorkspaceTenant | null;
  /** true archives, false restores. */
  archive: boolean;
  opened: boolean;
  onClose: () => void;
}

/** Archiving and restoring are one PATCH (`archived`), each confirmed with what it does. */
export function ArchiveModal({ workspace, tenant, archive, opened, onClose }: ArchiveModalProps) {
  const update = useUpdateTenant(workspace);
  useResetOnOpen(opened, () => update.reset());
  if (!tenant) return null;
  const name = tenant.name;
  return (
    <ActionModal
      title={archive ? `Archive ${name}?` : `Restore ${name}?`}
      opened={opened}
      onClose={onClose}
      onSubmit={() => update.mutate({ tenant: tenant.external_id, change: { archived: archive } })}
      submitLabel={archive ? 'Archive tenant' : 'Restore tenant'}
      submitting={update.isPending}
      error={update.error}
      tone={archive ? 'danger' : 'default'}
      result={
        update.data ? (
          <Notice color="green" role="status" title={archive ? `${name} is archived` : `${name} is restored`}>
            {archive
              ? 'It is read-only now. Restore it from the Archived tenants whenever it needs changes again.'
              : 'It can be changed again and is back in the tenant switcher.'}
          </Notice>
        ) : undefined
      }
    >
      {archive ? (
        <>
          <Text size="sm">Archiving makes {name} read-only. Nothing is deleted:</Text>
          <List size="sm" spacing={4}>
            <List.Item>
              Its members still see its dashboard, operation runs, findings and support requests.
            </List.Item>
            <List.Item>
              Nothing about it can change: no support requests, finding changes, exceptions or tenant-role
              grants.
            </List.Item>
            <List.Item>It leaves the tenant switcher’s list.</List.Item>
            <List.Item>A workspace owner can restore it at any time.</List.Item>
          </List>
        </>
      ) : (
        <Text size="sm">
          Restoring makes {name} changeable again: support requests, finding changes and tenant-role grants
          work as before, and it is back in the tenant switcher.
        </Text>
      )}
    </ActionModal>
  );
}
