/** Placeholder that replaces a secret in logs and errors. */
export const REDACTED = '***';

/**
 * Replaces every occurrence of each secret in `text`. Secrets shorter than 4 characters
 * are ignored (they would blank out ordinary words).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Config keys whose values are secrets wherever they appear. */
export const SECRET_KEY_PATTERN = /(pass(word)?|secret|token|key(ring)?_?data|private|credential|auth_key)$/i;

/** Collects secret values from a config object by key name, recursively. */
export function collectSecrets(value: unknown, out: string[] = []): string[] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string' && SECRET_KEY_PATTERN.test(k)) out.push(v);
      else collectSecrets(v, out);
    }
  }
  return out;
}
