import { Alert, Button, CopyButton, Group, List, Stack, Text } from '@mantine/core';
import type { RecoveryCodes } from './security-api.ts';

/** The ten recovery codes, once: listed, copyable, downloadable, and said plainly that they will not be shown again. */
export function RecoveryCodesView({ codes }: { codes: RecoveryCodes }) {
  const text = codes.recovery_codes.join('\n');
  const download = `data:text/plain;charset=utf-8,${encodeURIComponent(
    `TenantPilot recovery codes (each works once)\n\n${text}\n`,
  )}`;
  return (
    <Stack gap="sm">
      <Alert
        color="yellow"
        variant="light"
        title="Save your recovery codes now"
        role="status"
        styles={{ title: { color: 'var(--mantine-color-text)' } }}
      >
        <Text size="sm">
          If you lose your phone, each code signs you in once instead of the app. You will not see them again:
          TenantPilot keeps only a fingerprint of each.
        </Text>
      </Alert>
      <List
        aria-label="Recovery codes"
        listStyleType="none"
        spacing={4}
        ff="monospace"
        fz="md"
        style={{ columns: '2 8rem' }}
        data-testid="recovery-codes"
      >
        {codes.recovery_codes.map((code) => (
          <List.Item key={code}>{code}</List.Item>
        ))}
      </List>
      <Group gap="xs">
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button variant={copied ? 'light' : 'filled'} onClick={copy}>
              {copied ? 'Copied' : 'Copy codes'}
            </Button>
          )}
        </CopyButton>
        <Button component="a" variant="default" href={download} download="tenantpilot-recovery-codes.txt">
          Download
        </Button>
      </Group>
    </Stack>
  );
}
