import { Select } from '@mantine/core';
import type { Member, UserRef } from './api.ts';

export const NOBODY = 'none';

interface MemberPickerProps {
  label: string;
  description?: string;
  members: Member[];
  /** A user id as a string, or NOBODY. */
  value: string;
  onChange: (value: string) => void;
  /** The label of the "nobody" choice; omit when someone must be chosen. */
  nobodyLabel?: string;
  /** The person holding the role now: kept selectable even when no longer an active member. */
  current?: UserRef | null;
  error?: string;
  loading?: boolean;
  required?: boolean;
}

/** A searchable choice among the tenant's active members (the server checks membership again). */
export function MemberPicker({
  label,
  description,
  members,
  value,
  onChange,
  nobodyLabel,
  current,
  error,
  loading = false,
  required = false,
}: MemberPickerProps) {
  const options = members.map((member) => ({
    value: String(member.id),
    label: `${member.display_name} (${member.role})`,
  }));
  if (current && !members.some((member) => member.id === current.id)) {
    options.unshift({ value: String(current.id), label: `${current.display_name} (not an active member)` });
  }
  if (nobodyLabel) options.unshift({ value: NOBODY, label: nobodyLabel });
  return (
    <Select
      label={label}
      description={description}
      placeholder={loading ? 'Loading members…' : 'Choose a member'}
      data={options}
      value={value === '' ? null : value}
      onChange={(next) => onChange(next ?? (nobodyLabel ? NOBODY : ''))}
      searchable
      allowDeselect={false}
      nothingFoundMessage="No member matches"
      error={error}
      required={required}
      disabled={loading}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** The picker's value as the API wants it: an id, or null for nobody. */
export function toUserId(value: string): number | null {
  return value === NOBODY || value === '' ? null : Number(value);
}

export function toPickerValue(user: UserRef | null): string {
  return user ? String(user.id) : NOBODY;
}
