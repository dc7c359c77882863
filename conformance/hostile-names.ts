/**
 * Names that must never reach a backend. Anything outside the contract's ResourceId
 * pattern is hostile; these are the classic ways out of a name: shell metacharacters,
 * path traversal, NUL, separators, unicode look-alikes, option-like and overlong names.
 */
export const HOSTILE_NAMES: readonly string[] = [
  'a;touch pwned', '$(touch pwned)', '`touch pwned`', 'a|b', 'a&&b', '../escape', '../../../../tmp/escape', 'a/../../b',
  '/etc/passwd', 'a/b', 'a\0b', 'a\nb', 'a b', '', ' ', '.', '..', '.hidden', '-rf', '--help', 'vol\u00e9', '\u0432ol',
  '\u{1F4A5}', 'a\u202eb', 'x'.repeat(65), 'y'.repeat(255), 'z'.repeat(300),
];
