import { Type } from 'typebox';
import { type App, scopeOf } from '../../routing.ts';
import { checkDesk, type DeskDeps, getDeskSettings } from './desk-settings.ts';
import { DeskCheckResult, DeskSettingsView } from './desk-settings-schemas.ts';

const tags = ['support requests'];
/** Judged by the service (an owner of any workspace), so the OpenAPI hook cannot derive it. */
const notAnOwner = Type.Unsafe<never>({ description: 'The caller is not an owner of any workspace' });

/** The desk page of the administration (owners of any workspace): its settings, and a test call. */
export function registerDeskSettingsRoutes(app: App, deps: DeskDeps): void {
  app.get(
    '/admin/support-desk/settings',
    {
      schema: {
        operationId: 'getSupportDeskSettings',
        tags,
        summary:
          "The installation's support desk: provider, URL, budget, which credentials are set (never their values)",
        response: { 200: DeskSettingsView, 403: notAnOwner },
      },
      config: { access: { scope: 'actor' } },
    },
    async (request) => getDeskSettings(scopeOf(request, 'actor'), deps),
  );

  app.post(
    '/admin/support-desk/actions/check',
    {
      schema: {
        operationId: 'checkSupportDesk',
        tags,
        summary: "Check the desk with one read-only call (the CLI's `desk check`); creates nothing; audited",
        response: {
          200: DeskCheckResult,
          403: Type.Unsafe<never>({
            description:
              'The caller is not an owner of any workspace, or a browser session sent no valid CSRF token',
          }),
        },
      },
      config: { access: { scope: 'actor' } },
    },
    async (request) => checkDesk(scopeOf(request, 'actor'), deps),
  );
}
