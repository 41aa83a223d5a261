import { Anchor, Badge, Group, List, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import { Notice } from '../administration/notice.tsx';
import type { ImportResult } from './api.ts';

const COUNTS = [
  ['created', 'New findings', 'failed checks without a finding'],
  ['reopened', 'Reopened', 'failed again after being resolved or closed'],
  ['resolved', 'Resolved', 'passed now'],
  ['unchanged', 'Unchanged', 'status kept (risk accepted stays so)'],
  ['ignored', 'Not judged', 'skipped, not run, not applicable or errors'],
] as const;

const TOOL_NAMES: Record<string, string> = { maester: 'Maester', scubagear: 'ScubaGear' };
const toolName = (tool: string) => TOOL_NAMES[tool] ?? tool;

type Part = ImportResult['imports'][number];

function Counts({ counts, caption }: { counts: ImportResult['counts']; caption: string }) {
  return (
    <Table withTableBorder verticalSpacing={4} fz="sm">
      <VisuallyHidden component="caption">{caption}</VisuallyHidden>
      <Table.Tbody>
        {COUNTS.map(([key, label, meaning]) => (
          <Table.Tr key={key}>
            <Table.Th scope="row" fw={500}>
              {label}
              <Text span size="xs" c="dimmed" display="block">
                {meaning}
              </Text>
            </Table.Th>
            <Table.Td ta="right" fw={600}>
              {counts[key]}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ImportedPart({ part, format }: { part: Part; format: ImportResult['format'] }) {
  const tenant = part.run.tenant;
  const source = format === 'tenantpilot.results.v1' ? null : part.run.type;
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="xs">
        <Group justify="space-between" align="baseline" wrap="wrap">
          <Title order={3} fz="h5">
            {tenant?.name ?? 'Tenant'}
          </Title>
          {part.already_imported ? (
            <Badge color="gray" variant="light" c="gray.9">
              Already imported: nothing changed
            </Badge>
          ) : null}
        </Group>
        {part.run.summary ? <Text size="sm">{part.run.summary}</Text> : null}
        <Counts counts={part.counts} caption={`What the import did in ${tenant?.name ?? 'the tenant'}`} />
        <Group gap="md" wrap="wrap">
          <Anchor component={Link} to={paths.operationRun(part.run.id)} size="sm">
            Open run #{part.run.id}
          </Anchor>
          {tenant ? (
            <Anchor
              component={Link}
              to={paths.tenantFindings(tenant.external_id, {
                source: source ?? undefined,
                workflow_status: 'any',
              })}
              size="sm"
            >
              {source ? `${toolName(source)} findings of ${tenant.name}` : `Findings of ${tenant.name}`}
            </Anchor>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  );
}

/** What an import did: each tenant's run and counts, and every part that was refused and why. */
export function ImportResultView({ result }: { result: ImportResult }) {
  return (
    <Stack gap="md" aria-live="polite">
      <Notice color={result.refused.length > 0 ? 'yellow' : 'green'} title="Imported">
        {result.already_imported
          ? 'This assessment was imported before: nothing changed.'
          : `${result.imports.length} assessment${result.imports.length === 1 ? '' : 's'} imported from a ${
              result.format === 'tenantpilot.results.v1' ? 'tenantpilot.results.v1' : toolName(result.format)
            } file.`}
      </Notice>
      {result.imports.map((part) => (
        <ImportedPart key={part.path} part={part} format={result.format} />
      ))}
      {result.refused.length > 0 ? (
        <Stack gap="xs">
          <Title order={3} fz="h5">
            Not imported ({result.refused.length})
          </Title>
          <Text size="sm">Nothing of these parts was written.</Text>
          <List size="sm" spacing={4}>
            {result.refused.map((part) => (
              <List.Item key={part.path}>
                <Text span ff="monospace" size="xs">
                  {part.path}
                </Text>
                : {part.reason}
              </List.Item>
            ))}
          </List>
        </Stack>
      ) : null}
    </Stack>
  );
}
