import { Box, Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface PublicPageProps {
  title: string;
  description?: ReactNode;
  /** The card's content: a form, or a message with a way on. */
  children: ReactNode;
  /** Forms with more fields need a wider card. */
  width?: number;
}

/**
 * The pages seen before signing in (sign-in, an invitation, first-run setup): no navigation, the
 * product's name, one heading and one card, centred on any screen.
 */
export function PublicPage({ title, description, children, width = 420 }: PublicPageProps) {
  return (
    <Box bg="gray.0" mih="100vh">
      <Center mih="100vh" px="md" py="xl">
        <Box w="100%" maw={width} component="main">
          <Stack gap={4} mb="lg" align="center" ta="center">
            <Text fw={700} fz="lg" c="indigo.8">
              TenantPilot
            </Text>
            <Title order={1} fz="h2">
              {title}
            </Title>
            {description ? (
              <Text size="sm" c="dimmed">
                {description}
              </Text>
            ) : null}
          </Stack>
          <Paper withBorder shadow="sm" radius="md" p={{ base: 'lg', xs: 'xl' }}>
            {children}
          </Paper>
        </Box>
      </Center>
    </Box>
  );
}
