import { Alert, Button, Divider, Stack, Text, TextInput } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { type FormEvent, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { isApiError } from '../../app/http.ts';
import { paths } from '../../app/paths.ts';
import { focusFirstInvalid } from '../../ui/focus-first-invalid.ts';
import { describeSaveError, fieldError, waitFor } from '../../ui/form-errors.ts';
import { formatDateTime } from '../../ui/format.ts';
import { Loading } from '../../ui/loading.tsx';
import { PublicPage } from '../../ui/public-page.tsx';
import { providerInvitationUrl, useSignInProvider } from '../tenancy/sign-in-provider.ts';
import { type InvitationView, newPasswordProblems, useAcceptInvitation, useInvitation } from './api.ts';
import { LinkProblem } from './link-problem.tsx';
import { NewPasswordFields } from './password-fields.tsx';

/** A used or expired link (410), or one that never was (404): what happened and what to do. */
function InvitationLinkProblem({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  if (isApiError(error, 410)) {
    return (
      <LinkProblem
        title="This invitation link has already been used or has expired"
        action={{ label: 'Go to sign-in', to: paths.signIn() }}
      >
        An invitation link works once, for 7 days. If you already set your password with it, sign in. If not,
        ask the owner of the workspace that invited you for a new link.
      </LinkProblem>
    );
  }
  if (isApiError(error, 404)) {
    return (
      <LinkProblem
        title="This invitation link does not work"
        action={{ label: 'Go to sign-in', to: paths.signIn() }}
      >
        Check that you opened the whole link from your invitation. If it still does not work, ask the owner of
        the workspace that invited you for a new link.
      </LinkProblem>
    );
  }
  return <LinkProblem title="The invitation could not be loaded" error={error} onRetry={onRetry} />;
}

/** A refusal of the password form: 410 if the link was used meanwhile, 429 after too many tries. */
function acceptFailure(error: unknown): Error | undefined {
  if (isApiError(error, 410)) {
    return new Error(
      'This invitation link has just been used or has expired. Nothing was saved: ask for a new link.',
    );
  }
  if (isApiError(error, 429)) {
    const when = error.retryAfterSeconds === null ? 'later' : waitFor(error.retryAfterSeconds);
    return new Error(`Too many attempts. Try again ${when}. Nothing was saved.`);
  }
  return describeSaveError(error, { beside: ['password'], labels: { password: 'Password' } });
}

function AcceptForm({ token, invitation }: { token: string; invitation: InvitationView }) {
  const navigate = useNavigate();
  const accept = useAcceptInvitation(token);
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [checked, setChecked] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const problems = newPasswordProblems(password, confirmation);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (problems.password || problems.confirmation) return focusFirstInvalid(formRef.current);
    accept.mutate(
      { password },
      {
        onSuccess: () => navigate(paths.adminHome(), { replace: true }),
        onError: () => focusFirstInvalid(formRef.current),
      },
    );
  };
  const failure = acceptFailure(accept.error);

  return (
    <form onSubmit={submit} noValidate ref={formRef}>
      <Stack gap="md">
        <Text size="sm">
          Choose a password to finish setting up your account. You will be signed in to{' '}
          <Text span fw={600}>
            {invitation.workspace.name}
          </Text>{' '}
          right away.
        </Text>
        <TextInput
          label="Email"
          description="You sign in with this address."
          value={invitation.email}
          readOnly
          autoComplete="username"
        />
        <NewPasswordFields
          password={password}
          confirmation={confirmation}
          onPasswordChange={setPassword}
          onConfirmationChange={setConfirmation}
          passwordError={
            (checked ? problems.password : undefined) ?? fieldError(accept.error, 'password', 'Password')
          }
          confirmationError={checked ? problems.confirmation : undefined}
          disabled={accept.isPending}
        />
        {failure ? (
          <Alert color="red" variant="light" title="Not saved" role="alert">
            {failure.message}
          </Alert>
        ) : null}
        <Button type="submit" fullWidth loading={accept.isPending}>
          Set password and sign in
        </Button>
        <Text size="xs" c="dimmed" ta="center">
          This link works until {formatDateTime(invitation.expires_at)}, once.
        </Text>
      </Stack>
    </form>
  );
}

/**
 * With an identity provider, the invitation is accepted by signing in with it (the invitation names who
 * signs in); a password is the other way, unless the installation turned passwords off (OIDC_REQUIRED).
 */
function AcceptChoices({ token, invitation }: { token: string; invitation: InvitationView }) {
  const provider = useSignInProvider();
  if (provider.isPending) return <Loading label="Loading the ways to sign in" />;
  const name = provider.data?.provider_name;
  if (!name) return <AcceptForm token={token} invitation={invitation} />;
  const passwordsOff = provider.data?.password_sign_in === 'first_run_owner_only';
  return (
    <Stack gap="md">
      <Text size="sm">
        Accept with your company account: you will be signed in to{' '}
        <Text span fw={600}>
          {invitation.workspace.name}
        </Text>{' '}
        right away, and sign in with it from now on.
      </Text>
      <Button component="a" href={providerInvitationUrl(token)} fullWidth size="md">
        Accept with {name}
      </Button>
      {passwordsOff ? (
        <Text size="xs" c="dimmed" ta="center">
          This link works until {formatDateTime(invitation.expires_at)}, once.
        </Text>
      ) : (
        <>
          <Divider label="or choose a password" labelPosition="center" />
          <AcceptForm token={token} invitation={invitation} />
        </>
      )}
    </Stack>
  );
}

/** `/invitations/:token`: the one page an invited person sees before they have a password. */
export function InvitationPage() {
  const { token = '' } = useParams();
  const invitation = useInvitation(token);
  const data = invitation.data;
  useDocumentTitle(data ? `Join ${data.workspace.name} · TenantPilot` : 'Invitation · TenantPilot');

  if (invitation.isError) {
    return <InvitationLinkProblem error={invitation.error} onRetry={() => invitation.refetch()} />;
  }
  if (!data) {
    return (
      <PublicPage title="Invitation">
        <Loading label="Loading your invitation" />
      </PublicPage>
    );
  }
  return (
    <PublicPage
      title={`Join ${data.workspace.name}`}
      description={`${data.display_name}, you have been invited to the ${data.workspace.name} workspace on TenantPilot.`}
      width={460}
    >
      <AcceptChoices token={token} invitation={data} />
    </PublicPage>
  );
}
