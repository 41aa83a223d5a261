import { Button, Group, Modal, Stack, Text } from '@mantine/core';

interface DiscardConfirmProps {
  opened: boolean;
  /** Back to the form, everything kept. */
  onKeep: () => void;
  onDiscard: () => void;
}

/**
 * Asked before a half-written request is closed: by Cancel, the close button, Escape or a click
 * outside. It takes the form's place while it asks; Escape here keeps editing.
 */
export function DiscardConfirm({ opened, onKeep, onDiscard }: DiscardConfirmProps) {
  return (
    <Modal
      opened={opened}
      onClose={onKeep}
      title="Discard this request?"
      size="sm"
      centered
      // The form it asked about is gone on Discard: its opener takes focus (request-support-modal.tsx).
      returnFocus={false}
      closeButtonProps={{ 'aria-label': 'Close and keep editing' }}
    >
      <Stack gap="md">
        <Text size="sm">What you have written is not saved anywhere yet. Discard it, or keep editing?</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onKeep} data-autofocus>
            Keep editing
          </Button>
          <Button color="red.9" onClick={onDiscard}>
            Discard
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
