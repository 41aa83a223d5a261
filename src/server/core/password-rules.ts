/** docs/rules.md "Administration": passwords are at least 12 characters (code points), at most 1,024. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/** Why a new password is refused, in people's words, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.includes('\u0000')) return 'must not contain a NUL character';
  if (password.trim() === '') return 'must not be blank';
  return undefined;
}
