import { Type } from 'typebox';
import { roles, tenantCapabilities } from '../../core/capabilities.ts';

export const Role = Type.Enum(roles);
export const CapabilityList = Type.Array(Type.Enum(tenantCapabilities));

export const SignInBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const SessionUser = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  display_name: Type.String(),
});

export const SignInResult = Type.Object({ user: SessionUser });

export const SessionView = Type.Object({
  user: SessionUser,
  csrf_token: Type.String({ description: 'Send as x-csrf-token on every cookie-authenticated mutation' }),
  workspaces: Type.Array(
    Type.Object({
      id: Type.Integer(),
      slug: Type.String(),
      name: Type.String(),
      role: Role,
      tenants: Type.Array(
        Type.Object({
          id: Type.Integer(),
          external_id: Type.String(),
          name: Type.String(),
          role: Role,
          capabilities: CapabilityList,
        }),
      ),
    }),
  ),
});

export const WorkspaceView = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() });
export const TenantView = Type.Object({
  id: Type.Integer(),
  external_id: Type.String(),
  name: Type.String(),
});
export const TenantParams = Type.Object({ tenant: Type.String({ description: 'The tenant external_id' }) });
