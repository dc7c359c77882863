import { compileErrors, validate } from '@readme/openapi-parser';
import type { OpenApiDocument } from '../../openapi/build.js';

/** Validates with @readme/openapi-parser; returns a readable error list or an empty string. */
export async function openApiErrors(doc: OpenApiDocument): Promise<string> {
  // The parser dereferences in place: hand it a copy.
  const result = await validate(structuredClone(doc) as never);
  return result.valid ? '' : compileErrors(result);
}
