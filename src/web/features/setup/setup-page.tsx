import { Alert, Button, Stack, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { type FormEvent, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { isApiError } from '../../app/http.ts';
import { paths } from '../../app/paths.ts';
import { focusFirstInvalid } from '../../ui/focus-first-invalid.ts';
import { describeSaveError, fieldError } from '../../ui/form-errors.ts';
import { Loading } from '../../ui/loading.tsx';
import { PublicPage } from '../../ui/public-page.tsx';
import { newPasswordProblems } from '../account/api.ts';
import { LinkProblem } from '../account/link-problem.tsx';
import { NewPasswordFields } from '../account/password-fields.tsx';
import { type SetupBody, SLUG_PATTERN, suggestSlug, useCompleteSetup, useSetupLink } from './api.ts';

const labels: Record<keyof SetupBody, string> = {
  workspace_name: 'Workspace name',
  workspace_slug: 'Short name',
  display_name: 'Your name',
  email: 'Your email',
  password: 'Password',
};

type Form = Omit<SetupBody, 'password'> & { password: string; confirmation: string };
const emptyForm: Form = {
  workspace_name: '',
  workspace_slug: '',
  display_name: '',
  email: '',
  password: '',
  confirmation: '',
};

/** What the browser can tell before asking; the server judges everything again. */
function localProblems(form: Form): Partial<Record<keyof Form, string>> {
  const problems: Partial<Record<keyof Form, string>> = {};
  if (form.workspace_name.trim() === '') problems.workspace_name = 'Enter the name of your company or team.';
  if (!SLUG_PATTERN.test(form.workspace_slug))
    problems.workspace_slug = 'Use 1 to 63 lower-case letters, digits and hyphens.';
  if (form.display_name.trim() === '') problems.display_name = 'Enter your name.';
  if (!/^[^\s@]+@[^\s@]+$/.test(form.email.trim()))
    problems.email = 'Enter an email address such as you@example.com.';
  const password = newPasswordProblems(form.password, form.confirmation);
  if (password.password) problems.password = password.password;
  if (password.confirmation) problems.confirmation = password.confirmation;
  return problems;
}

function SetupForm({ token }: { token: string }) {
  const navigate = useNavigate();
  const setup = useCompleteSetup(token);
  const [form, setForm] = useState(emptyForm);
  // The short name follows the workspace name until the person edits it themselves.
  const [slugEdited, setSlugEdited] = useState(false);
  const [checked, setChecked] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const problems = checked ? localProblems(form) : {};
  const errorOf = (field: keyof SetupBody) =>
    problems[field] ?? fieldError(setup.error, field, labels[field]);

  const set = (patch: Partial<Form>) => setForm((current) => ({ ...current, ...patch }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(localProblems(form)).length > 0) return focusFirstInvalid(formRef.current);
    const { confirmation: _confirmation, ...body } = form;
    setup.mutate(
      { ...body, email: body.email.trim() },
      {
        onSuccess: () => navigate(paths.adminHome(), { replace: true }),
        onError: () => focusFirstInvalid(formRef.current),
      },
    );
  };
  const failure = isApiError(setup.error, 410)
    ? new Error(
        'Setup was completed meanwhile, from another browser. Nothing was saved here: sign in instead.',
      )
    : describeSaveError(setup.error, { beside: Object.keys(labels), labels });

  return (
    <form onSubmit={submit} noValidate ref={formRef}>
      <Stack gap="lg">
        <Stack gap="sm" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
          <Title order={2} fz="h5" component="legend" mb="xs">
            Your workspace
          </Title>
          <TextInput
            label={labels.workspace_name}
            description="Your company or team, as your colleagues know it."
            value={form.workspace_name}
            onChange={(event) => {
              const name = event.currentTarget.value;
              set(
                slugEdited
                  ? { workspace_name: name }
                  : { workspace_name: name, workspace_slug: suggestSlug(name) },
              );
            }}
            error={errorOf('workspace_name')}
            maxLength={200}
            required
            data-autofocus
          />
          <TextInput
            label={labels.workspace_slug}
            description="Used in addresses, such as /admin/w/acme. Lower-case letters, digits and hyphens; suggested from the name."
            value={form.workspace_slug}
            onChange={(event) => {
              setSlugEdited(true);
              set({ workspace_slug: event.currentTarget.value });
            }}
            error={errorOf('workspace_slug')}
            maxLength={63}
            autoCapitalize="none"
            spellCheck={false}
            required
          />
        </Stack>
        <Stack gap="sm" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
          <Title order={2} fz="h5" component="legend" mb="xs">
            You, its owner
          </Title>
          <TextInput
            label={labels.display_name}
            value={form.display_name}
            onChange={(event) => set({ display_name: event.currentTarget.value })}
            error={errorOf('display_name')}
            maxLength={200}
            autoComplete="name"
            required
          />
          <TextInput
            label={labels.email}
            description="You sign in with it."
            type="email"
            value={form.email}
            onChange={(event) => set({ email: event.currentTarget.value })}
            error={errorOf('email')}
            maxLength={254}
            autoComplete="username"
            required
          />
          <NewPasswordFields
            password={form.password}
            confirmation={form.confirmation}
            onPasswordChange={(password) => set({ password })}
            onConfirmationChange={(confirmation) => set({ confirmation })}
            passwordError={errorOf('password')}
            confirmationError={problems.confirmation}
            disabled={setup.isPending}
          />
        </Stack>
        {failure ? (
          <Alert color="red" variant="light" title="Not saved" role="alert">
            {failure.message}
          </Alert>
        ) : null}
        <Button type="submit" fullWidth loading={setup.isPending}>
          Create workspace and sign in
        </Button>
      </Stack>
    </form>
  );
}

/** `/setup/:token`: the first run's one page, creating the first workspace and its owner. */
export function SetupPage() {
  const { token = '' } = useParams();
  const link = useSetupLink(token);
  useDocumentTitle('Set up TenantPilot');

  if (isApiError(link.error, 410)) {
    return (
      <LinkProblem title="Setup is done" action={{ label: 'Go to sign-in', to: paths.signIn() }}>
        This TenantPilot already has its first workspace and owner, so the setup link no longer works. Sign in
        with your account; new colleagues join through an invitation from a workspace owner.
      </LinkProblem>
    );
  }
  if (isApiError(link.error, 404)) {
    return (
      <LinkProblem
        title="This setup link does not work"
        action={{ label: 'Go to sign-in', to: paths.signIn() }}
      >
        Copy the whole link that <code>tenantpilot serve</code> printed when it started. While nobody has set
        up TenantPilot yet, each start of the server prints a new link and the older one stops working.
      </LinkProblem>
    );
  }
  if (link.isError)
    return (
      <LinkProblem title="Setup could not be loaded" error={link.error} onRetry={() => link.refetch()} />
    );
  if (!link.data) {
    return (
      <PublicPage title="Set up TenantPilot">
        <Loading label="Checking the setup link" />
      </PublicPage>
    );
  }
  return (
    <PublicPage
      title="Set up TenantPilot"
      description="Create your workspace and its first owner. You can add tenants and invite colleagues next."
      width={520}
    >
      <SetupForm token={token} />
    </PublicPage>
  );
}
