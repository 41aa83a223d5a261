import { Anchor, DataList, Paper, Stack, Text, Title, Typography } from '@mantine/core';
import Markdown from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import { DateTime } from '../../ui/date-time.tsx';
import { Field } from '../../ui/detail-list.tsx';

const TOOL_NAMES: Record<string, string> = { maester: 'Maester', scubagear: 'ScubaGear' };

export interface ToolReportFinding {
  source: string | null;
  check_id: string | null;
  description: string | null;
  evidence: string | null;
  help_url: string | null;
  last_seen_at: string | null;
}

/**
 * A tool's markdown, rendered safely: it is untrusted text from a file. Raw HTML is not rendered (react-markdown
 * leaves it out), GFM tables and lists are drawn (remark-gfm), rehype-sanitize keeps only GitHub's safe subset (no scripts, no event handlers, no
 * javascript: links), and links open in a new tab without an opener.
 */
function ToolMarkdown({ text }: { text: string }) {
  return (
    <Typography fz="sm" style={{ overflowWrap: 'anywhere' }}>
      <Markdown
        remarkPlugins={[remarkGfm]}
        rehypePlugins={[rehypeSanitize]}
        components={{
          a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer" />,
          // The tool's headings sit under this page's "Description" (h3): its # and ## (the usual top level
          // of a tool's text) are h4, never a second title and no skipped level.
          h1: ({ node: _node, ...props }) => <h4 {...props} />,
          h2: ({ node: _node, ...props }) => <h4 {...props} />,
          h3: ({ node: _node, ...props }) => <h5 {...props} />,
          h4: ({ node: _node, ...props }) => <h6 {...props} />,
          h5: ({ node: _node, ...props }) => <h6 {...props} />,
        }}
      >
        {text}
      </Markdown>
    </Typography>
  );
}

/** docs/rules.md "Imports": what the tool that reported a finding said about it, on the finding's page. */
export function ToolReport({ finding }: { finding: ToolReportFinding }) {
  if (finding.source === null) return null;
  const tool = TOOL_NAMES[finding.source] ?? finding.source;
  return (
    <Stack gap="sm" component="section" aria-labelledby="tool-report-heading">
      <Title order={2} fz="h4" id="tool-report-heading">
        From {tool}
      </Title>
      <Paper withBorder radius="md" p="lg">
        <Stack gap="md">
          <DataList>
            <Field label="Source">{tool}</Field>
            <Field label="Check">
              <Text span ff="monospace" size="sm" style={{ overflowWrap: 'anywhere' }}>
                {finding.check_id ?? '—'}
              </Text>
            </Field>
            <Field label="Last seen">
              {finding.last_seen_at ? <DateTime value={finding.last_seen_at} /> : '—'}
            </Field>
            <Field label="Help">
              {finding.help_url ? (
                <Anchor href={finding.help_url} target="_blank" rel="noopener noreferrer" size="sm">
                  {tool} documentation for {finding.check_id ?? 'this check'}
                </Anchor>
              ) : (
                '—'
              )}
            </Field>
          </DataList>
          <Stack gap={4}>
            <Title order={3} fz="h5">
              Description
            </Title>
            {finding.description ? <ToolMarkdown text={finding.description} /> : <Text size="sm">—</Text>}
          </Stack>
          <Stack gap={4}>
            <Title order={3} fz="h5">
              Evidence
            </Title>
            {finding.evidence ? <ToolMarkdown text={finding.evidence} /> : <Text size="sm">—</Text>}
          </Stack>
        </Stack>
      </Paper>
    </Stack>
  );
}
