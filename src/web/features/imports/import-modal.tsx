import { Alert, Button, FileButton, List, Paper, Stack, Text } from '@mantine/core';
import { type DragEvent, useState } from 'react';
import { isApiError } from '../../app/http.ts';
import { ActionModal } from '../../ui/action-modal.tsx';
import { describeSaveError } from '../../ui/form-errors.ts';
import { type ImportTarget, useImportResults } from './api.ts';
import { ImportResultView } from './import-result.tsx';

const MAX_BYTES = 50 * 1024 * 1024;

const size = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} kB`;

/** Why the file was not imported: a refused file names each problem by where it is in the file. */
function Refusal({ error }: { error: unknown }) {
  if (isApiError(error, 422) || isApiError(error, 413)) {
    const problems = Object.entries(error.fields);
    return (
      <Alert color="red" variant="light" title="Not imported: nothing was written" role="alert">
        <Text size="sm">{error.message}.</Text>
        {problems.length > 0 ? (
          <List size="sm" mt="xs" spacing={2}>
            {problems.map(([path, problem]) => (
              <List.Item key={path}>
                <Text span ff="monospace" size="xs">
                  {path}
                </Text>{' '}
                {problem}
              </List.Item>
            ))}
          </List>
        ) : null}
      </Alert>
    );
  }
  const failure = describeSaveError(error);
  return failure ? (
    <Alert color="red" variant="light" title="Not imported" role="alert">
      {failure.message}
    </Alert>
  ) : null;
}

interface ImportModalProps {
  target: ImportTarget;
  opened: boolean;
  onClose: () => void;
}

/**
 * docs/rules.md "Imports": drop or pick a Maester, ScubaGear or tenantpilot.results.v1 file; the server reads
 * it, and the modal shows what it did (runs, counts) and what it refused.
 */
export function ImportModal({ target, opened, onClose }: ImportModalProps) {
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const importResults = useImportResults(target);
  const close = () => {
    setFile(null);
    setLocalError(null);
    importResults.reset();
    onClose();
  };
  const choose = (picked: File | null) => {
    importResults.reset();
    setFile(picked);
    setLocalError(
      picked && picked.size > MAX_BYTES
        ? `${picked.name} is ${size(picked.size)}: at most 50 MB can be imported.`
        : null,
    );
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files[0] ?? null);
  };
  const submit = () => {
    if (!file) return setLocalError('Choose a result file first.');
    if (file.size > MAX_BYTES) return;
    importResults.mutate(file);
  };
  return (
    <ActionModal
      title="Import results"
      opened={opened}
      onClose={close}
      onSubmit={submit}
      submitLabel="Import"
      submitting={importResults.isPending}
      result={importResults.data ? <ImportResultView result={importResults.data} /> : undefined}
    >
      <Text size="sm">
        A Maester <code>TestResults-*.json</code> (one tenant or merged), a ScubaGear{' '}
        <code>ScubaResults_*.json</code>, or a <code>tenantpilot.results.v1</code> file, up to 50 MB. Failed
        checks become findings; passed ones resolve them; owners, assignees and exceptions are kept.
      </Text>
      <Paper
        withBorder
        radius="md"
        p="lg"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
        style={{
          borderStyle: 'dashed',
          borderWidth: 2,
          background: dragging ? 'var(--mantine-color-blue-0)' : undefined,
        }}
        data-testid="import-drop-zone"
      >
        <Stack gap="xs" align="center">
          <Text size="sm" ta="center">
            Drop the file here, or
          </Text>
          <FileButton onChange={choose} accept=".json,application/json">
            {(props) => (
              <Button variant="default" {...props}>
                Choose a file
              </Button>
            )}
          </FileButton>
          <Text size="sm" fw={500} aria-live="polite" ta="center" style={{ overflowWrap: 'anywhere' }}>
            {file ? `${file.name} (${size(file.size)})` : 'No file chosen'}
          </Text>
        </Stack>
      </Paper>
      {localError ? (
        <Alert color="red" variant="light" role="alert">
          {localError}
        </Alert>
      ) : null}
      {importResults.error ? <Refusal error={importResults.error} /> : null}
    </ActionModal>
  );
}

/** The "Import results" button and its modal. */
export function ImportResultsButton({ target }: { target: ImportTarget }) {
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button onClick={() => setOpened(true)}>Import results</Button>
      <ImportModal target={target} opened={opened} onClose={() => setOpened(false)} />
    </>
  );
}
