import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  InvitationResult,
  InviteBody,
  PeoplePage,
  PeopleQuery,
  Person,
  PersonUpdate,
  TenantRole,
} from '../../../server/features/people/schemas.ts';
import type { Role } from '../../../server/features/tenancy/schemas.ts';
import { request } from '../../app/http.ts';
import { administrationKeys } from '../administration/api.ts';
import { workspaceTenantKeys } from '../workspace-tenants/api.ts';

// The contract's shapes are the server's schema types: a change the UI does not follow fails tsc.
export type {
  ActiveFilter,
  InvitationResult,
  InviteBody,
  Person,
  PersonUpdate,
  TenantRole,
} from '../../../server/features/people/schemas.ts';

export type PeopleFilters = Pick<PeopleQuery, 'q' | 'active'>;

export const PEOPLE_PAGE_SIZE = 50;
/** The audit log's person picker reads the people list a page of 200 at a time, up to this many pages. */
const PERSON_SCAN_PAGES = 25;

const peoplePath = (workspace: string) => `/admin/w/${encodeURIComponent(workspace)}/people`;
const personPath = (workspace: string, user: number) => `${peoplePath(workspace)}/${user}`;

export const peopleKeys = {
  all: (workspace: string) => ['people', workspace] as const,
  list: (workspace: string, filters: PeopleFilters) => ['people', workspace, 'list', filters] as const,
  person: (workspace: string, user: number) => ['people', workspace, 'person', user] as const,
  every: (workspace: string) => ['people', workspace, 'every'] as const,
};

export function usePeople(workspace: string, filters: PeopleFilters) {
  return useInfiniteQuery({
    queryKey: peopleKeys.list(workspace, filters),
    queryFn: ({ pageParam, signal }) =>
      request<PeoplePage>(peoplePath(workspace), {
        query: { ...filters, limit: PEOPLE_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

/** Every member, suspended ones too, for pickers (the audit log's person filter). */
export function useEveryPerson(workspace: string) {
  return useQuery({
    queryKey: peopleKeys.every(workspace),
    queryFn: async ({ signal }) => {
      const people: Person[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < PERSON_SCAN_PAGES; page += 1) {
        const answer: PeoplePage = await request<PeoplePage>(peoplePath(workspace), {
          query: { active: 'all', limit: 200, cursor },
          signal,
        });
        people.push(...answer.items);
        cursor = answer.next_cursor;
        if (!cursor) break;
      }
      return people;
    },
  });
}

/** One member of the workspace (suspended members included); a non-member or unknown id is a 404. */
export function usePerson(workspace: string, user: number) {
  return useQuery({
    queryKey: peopleKeys.person(workspace, user),
    queryFn: ({ signal }) => request<Person>(personPath(workspace, user), { signal }),
    enabled: Number.isSafeInteger(user) && user > 0,
    retry: false,
  });
}

/**
 * Every people read, the overview's counts and the tenant list's own roles may change with a person.
 * `except` keeps one person's page as it is (someone just removed, whose result is still on screen).
 */
function useInvalidatePeople(workspace: string, except?: number) {
  const queryClient = useQueryClient();
  const kept = except === undefined ? undefined : peopleKeys.person(workspace, except);
  return () =>
    Promise.all([
      queryClient.invalidateQueries({
        queryKey: peopleKeys.all(workspace),
        predicate: (query) => !kept || JSON.stringify(query.queryKey) !== JSON.stringify(kept),
      }),
      queryClient.invalidateQueries({ queryKey: administrationKeys.overview(workspace) }),
      queryClient.invalidateQueries({ queryKey: workspaceTenantKeys.all(workspace) }),
    ]);
}

export function useInvite(workspace: string) {
  const invalidate = useInvalidatePeople(workspace);
  return useMutation({
    mutationFn: (input: InviteBody) =>
      request<InvitationResult>(peoplePath(workspace), { method: 'POST', body: input }),
    onSettled: invalidate,
  });
}

export function useReinvite(workspace: string, user: number) {
  const invalidate = useInvalidatePeople(workspace);
  return useMutation({
    mutationFn: () =>
      request<InvitationResult>(`${personPath(workspace, user)}/actions/reinvite`, {
        method: 'POST',
        body: {},
      }),
    onSettled: invalidate,
  });
}

export function useUpdatePerson(workspace: string, user: number) {
  const invalidate = useInvalidatePeople(workspace);
  return useMutation({
    mutationFn: (change: PersonUpdate) =>
      request<Person>(personPath(workspace, user), { method: 'PATCH', body: change }),
    onSettled: invalidate,
  });
}

export function useRemovePerson(workspace: string, user: number) {
  const invalidate = useInvalidatePeople(workspace, user);
  return useMutation({
    mutationFn: () => request<void>(personPath(workspace, user), { method: 'DELETE' }),
    onSettled: invalidate,
  });
}

const tenantRolePath = (workspace: string, user: number, tenant: string) =>
  `${personPath(workspace, user)}/tenants/${encodeURIComponent(tenant)}`;

export function useSetTenantRole(workspace: string, user: number) {
  const invalidate = useInvalidatePeople(workspace);
  return useMutation({
    mutationFn: ({ tenant, role }: { tenant: string; role: Role }) =>
      request<Person>(tenantRolePath(workspace, user, tenant), { method: 'PUT', body: { role } }),
    onSettled: invalidate,
  });
}

export function useRevokeTenantRole(workspace: string, user: number) {
  const invalidate = useInvalidatePeople(workspace);
  return useMutation({
    mutationFn: (tenant: string) =>
      request<void>(tenantRolePath(workspace, user, tenant), { method: 'DELETE' }),
    onSettled: invalidate,
  });
}

export interface TenantRoleChanges {
  /** Granted or changed together, all or nothing. */
  set: TenantRole[];
  /** Revoked one by one after the grants: each can fail on its own. */
  revoke: string[];
}

export interface TenantRoleOutcome {
  set: TenantRole[];
  revoked: string[];
  failed: { tenant: string; error: unknown }[];
}

/**
 * Many tenants at once: grants and changes in one all-or-nothing request, then each revocation. A
 * failed grant request throws (nothing saved); a failed revocation is reported with what did happen.
 */
export function useChangeTenantRoles(workspace: string, user: number) {
  const invalidate = useInvalidatePeople(workspace);
  return useMutation({
    mutationFn: async (changes: TenantRoleChanges): Promise<TenantRoleOutcome> => {
      if (changes.set.length > 0) {
        await request<Person>(`${personPath(workspace, user)}/tenants`, {
          method: 'PUT',
          body: { tenant_roles: changes.set },
        });
      }
      const outcome: TenantRoleOutcome = { set: changes.set, revoked: [], failed: [] };
      for (const tenant of changes.revoke) {
        try {
          await request<void>(tenantRolePath(workspace, user, tenant), { method: 'DELETE' });
          outcome.revoked.push(tenant);
        } catch (error) {
          outcome.failed.push({ tenant, error });
        }
      }
      return outcome;
    },
    onSettled: invalidate,
  });
}
