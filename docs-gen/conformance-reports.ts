/**
 * Reads conformance JSON reports (conformance-report.schema.json, what `ashlar conformance
 * run --report-json` writes) for the support matrix and the site's report pages.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConformanceReport } from '../core/generated/schemas.js';
import { coreValidator, formatSchemaErrors } from '../core/validation/schema-registry.js';

/** One report as read from disk. */
export interface DriverReport {
  /** The file's name inside the reports directory. */
  readonly file: string;
  readonly report: ConformanceReport;
}

/**
 * Reads every `*.json` in `dir`. A file that is not JSON or not a valid report is listed in
 * `ignored` with the reason, never fatal: one broken upload must not hide the others.
 */
export async function readReports(dir: string): Promise<{ reports: DriverReport[]; ignored: string[] }> {
  const validate = coreValidator('conformance-report');
  const reports: DriverReport[] = [];
  const ignored: string[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
    } catch {
      ignored.push(`${file}: not JSON`);
      continue;
    }
    if (!validate(data)) {
      ignored.push(`${file}: not a conformance report (${formatSchemaErrors(validate.errors, 'report').slice(0, 3).join('; ')})`);
      continue;
    }
    reports.push({ file, report: data as ConformanceReport });
  }
  return { reports, ignored };
}

/** The newest report of each driver (by start time), keyed by driver name. */
export function latestByDriver(reports: readonly DriverReport[]): Map<string, DriverReport> {
  const latest = new Map<string, DriverReport>();
  for (const r of reports) {
    const seen = latest.get(r.report.driver.name);
    if (!seen || seen.report.startedAt < r.report.startedAt) latest.set(r.report.driver.name, r);
  }
  return latest;
}

/** Where the site puts the HTML rendering of a driver's latest report. */
export const reportPagePath = (driver: string): string => `conformance/${driver.replace(/^@/, '').replace(/\//g, '-')}.html`;
