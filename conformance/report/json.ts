import type { ConformanceReport } from '../../core/generated/schemas.js';
import { coreValidator, formatSchemaErrors } from '../../core/validation/schema-registry.js';

/**
 * The report as JSON, validated against conformance-report.schema.json first so a
 * consumer (the support-matrix generator, CI) never reads a malformed one.
 *
 * @throws Error listing the schema errors (a bug in the runner, not in the driver).
 */
export function renderJson(report: ConformanceReport): string {
  const validate = coreValidator('conformance-report');
  if (!validate(report)) throw new Error(`conformance report does not match its schema: ${formatSchemaErrors(validate.errors, 'report').join('; ')}`);
  return `${JSON.stringify(report, null, 2)}\n`;
}
