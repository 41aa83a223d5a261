import { Avatar, Box, Button, Menu } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import { type SessionView, useSignOut } from '../tenancy/api.ts';

/** The header's menu for the signed-in person: their account page, and signing out. */
export function UserMenu({ user }: { user: SessionView['user'] }) {
  const signOut = useSignOut();
  return (
    <Menu position="bottom-end" shadow="md" width={240} withInitialFocusPlaceholder={false}>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          c="gray.9"
          px="xs"
          aria-label={`Account menu: ${user.display_name}`}
          loading={signOut.isPending}
          leftSection={
            // Filled, for white initials at 4.5:1; the name beside it is the button's text.
            <Avatar name={user.display_name} variant="filled" color="indigo.7" size={28} aria-hidden />
          }
        >
          <Box
            component="span"
            visibleFrom="xs"
            maw={180}
            style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}
          >
            {user.display_name}
          </Box>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component={Link} to={paths.account()}>
          Your account
        </Menu.Item>
        <Menu.Item onClick={() => signOut.mutate()}>Sign out</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
