// Mantine marks a field in error with aria-invalid, except PasswordInput's input (data-invalid only).
const INVALID_FIELD =
  ':is(input, textarea, select, [role="combobox"])[aria-invalid="true"], :is(input, textarea)[data-invalid="true"]';

/**
 * After a refused submit, the first field in error takes focus: keyboard and screen-reader users land on
 * what to fix, with its message (Mantine links it through aria-describedby), instead of nowhere (a
 * loading button is disabled, which drops focus to the document). With no field in error, focus goes
 * back to `fallback` (the submit button) if it was lost. Runs after React has rendered the errors.
 */
export function focusFirstInvalid(container: HTMLElement | null, fallback?: HTMLElement | null): void {
  window.setTimeout(() => {
    const field = container?.querySelector<HTMLElement>(INVALID_FIELD);
    if (field) field.focus();
    else if (document.activeElement === null || document.activeElement === document.body) fallback?.focus();
  }, 0);
}
