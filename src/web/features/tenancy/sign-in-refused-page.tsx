import { Button, Stack, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useSearchParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { PublicPage } from '../../ui/public-page.tsx';
import { providerSignInUrl, useSignInProvider } from './sign-in-provider.ts';

/** What each refusal of a sign-in through the provider means, and what the person can do about it. */
const explanations: Record<string, { title: string; text: (provider: string) => string; retry: boolean }> = {
  unknown_person: {
    title: 'You do not have a TenantPilot account yet',
    text: (provider) =>
      `You signed in with ${provider}, but no TenantPilot account belongs to that identity, and TenantPilot does not create accounts on its own. Ask an owner of your workspace to invite you, then accept the invitation with ${provider}.`,
    retry: false,
  },
  unverified_email: {
    title: 'Your e-mail address could not be confirmed',
    text: (provider) =>
      `${provider} did not confirm that the e-mail address of your account is yours, so TenantPilot cannot match it to an account. Ask an owner of your workspace for an invitation, and accept it with ${provider}.`,
    retry: false,
  },
  inactive: {
    title: 'Your TenantPilot account is deactivated',
    text: () =>
      'Your account is switched off. If you think this is a mistake, ask an owner of your workspace.',
    retry: false,
  },
  already_linked: {
    title: 'This account is linked to someone else',
    text: (provider) =>
      `The ${provider} account you used belongs to another TenantPilot account, or yours is linked to another ${provider} account. Sign in with the ${provider} account you used before, or ask an owner of your workspace.`,
    retry: true,
  },
  invitation_gone: {
    title: 'This invitation no longer works',
    text: () =>
      'The invitation link was used already, has expired or was withdrawn. If you accepted it before, sign in. If not, ask the owner of the workspace that invited you for a new link.',
    retry: true,
  },
  provider_refused: {
    title: 'Sign-in was cancelled',
    text: (provider) => `${provider} did not sign you in (you may have cancelled it). You can try again.`,
    retry: true,
  },
  provider_unavailable: {
    title: 'Your identity provider could not be reached',
    text: (provider) =>
      `TenantPilot could not reach ${provider} just now. Try again in a moment; if it keeps happening, tell your TenantPilot administrator.`,
    retry: true,
  },
  expired: {
    title: 'This sign-in expired',
    text: () =>
      'The sign-in took too long, was already used, or was started in another browser. Start it again from this browser.',
    retry: true,
  },
  provider_error: {
    title: 'Sign-in could not be completed',
    text: (provider) =>
      `TenantPilot could not verify the answer from ${provider}. Try again; if it keeps happening, tell your TenantPilot administrator (the server log says why).`,
    retry: true,
  },
};

/** `/sign-in/refused?reason=…`: where a refused sign-in through the identity provider lands. */
export function SignInRefusedPage() {
  const [searchParams] = useSearchParams();
  const provider = useSignInProvider().data;
  const providerName = provider?.provider_name ?? 'your identity provider';
  const explanation =
    explanations[searchParams.get('reason') ?? ''] ??
    (explanations.provider_error as NonNullable<(typeof explanations)[string]>);
  useDocumentTitle(`${explanation.title} · TenantPilot`);
  return (
    <PublicPage title={explanation.title} width={480}>
      <Stack gap="md">
        <Text size="sm">{explanation.text(providerName)}</Text>
        {explanation.retry && provider ? (
          <Button component="a" href={providerSignInUrl()} fullWidth>
            Sign in with {providerName} again
          </Button>
        ) : null}
        <Button
          component={Link}
          to={paths.signIn()}
          variant={explanation.retry ? 'default' : 'filled'}
          fullWidth
        >
          Go to sign-in
        </Button>
      </Stack>
    </PublicPage>
  );
}
