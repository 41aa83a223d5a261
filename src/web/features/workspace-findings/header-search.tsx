import { Kbd, TextInput } from '@mantine/core';
import { useWindowEvent } from '@mantine/hooks';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useMatch, useNavigate, useSearchParams } from 'react-router';
import { paths, routePatterns } from '../../app/paths.ts';

/** A key press that types into something (a field, an editable element): `/` is then a character, not a shortcut. */
function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The header's search box: searches the workspace on screen (or the person's first) and opens its results page.
 * `/` focuses it from anywhere on the page; Escape leaves it.
 */
export function HeaderSearch({ workspace }: { workspace: string | undefined }) {
  const navigate = useNavigate();
  const onResults = useMatch(routePatterns.workspaceSearch);
  const [searchParams] = useSearchParams();
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const current = onResults ? (searchParams.get('q') ?? '') : '';

  useEffect(() => setValue(current), [current]);
  useWindowEvent('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || typingInto(event.target))
      return;
    event.preventDefault();
    input.current?.focus();
  });

  if (!workspace) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = value.trim();
    if (q) navigate(paths.workspaceSearch(workspace, q));
  };
  return (
    <search style={{ flex: 1, maxWidth: 360, minWidth: 0 }}>
      <form onSubmit={submit}>
        <TextInput
          ref={input}
          type="search"
          aria-label="Search findings, runs, SR references and tenants"
          placeholder="Search"
          value={value}
          maxLength={200}
          onChange={(event) => setValue(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') event.currentTarget.blur();
          }}
          rightSection={
            <Kbd size="xs" aria-hidden="true">
              /
            </Kbd>
          }
          rightSectionPointerEvents="none"
        />
      </form>
    </search>
  );
}
