/** A page per driver from its manifest, and the support matrix of drivers × capabilities. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Capability, DriverManifest } from '../core/contract/types.js';
import { configOptions } from '../core/plugins/config-options.js';
import { loadCoreSchemas } from '../core/validation/schema-registry.js';
import { capabilityAnchor } from './driver-guide.js';
import { code, link, plain, type Block, type Page } from './page.js';

/** Where a driver's page lives. */
export const driverPagePath = (name: string): string => `drivers/${name.replace(/^@/, '').replace(/\//g, '-')}.md`;

/** The page of one driver. */
export function driverPage(manifest: DriverManifest): Page {
  const options = configOptions(manifest);
  const blocks: Block[] = [
    { heading: `Driver ${code(manifest.name)}`, level: 1 },
    { para: plain(manifest.description) },
    {
      table: {
        head: ['', ''],
        rows: [
          ['Version', manifest.version],
          ['Vendor', plain(manifest.vendor)],
          ['Contract', code(manifest.contract)],
          ['Protocols', manifest.protocols.map(code).join(', ')],
          ['Delete a volume with snapshots', code(manifest.semantics.deleteVolumeWithSnapshots)],
          ['Active-active', manifest.semantics.activeActive ? 'yes' : 'no'],
          ...(manifest.homepage ? [['Homepage', manifest.homepage]] : []),
        ],
      },
    },
    { heading: 'Capabilities', level: 2 },
    manifest.capabilities.length
      ? { list: manifest.capabilities.map((c) => link(code(c), `driver-guide.md#${capabilityAnchor(c)}`)) }
      : { para: 'None beyond the required interface.' },
    { heading: 'Configuration', level: 2 },
    options.length
      ? {
          table: {
            head: ['Option', 'Type', 'Required', 'Default', 'Description'],
            rows: options.map((o) => [code(o.name), code(o.type), o.required ? 'yes' : 'no', o.default === undefined ? '' : code(JSON.stringify(o.default)), plain(o.description ?? '')]),
          },
        }
      : { para: 'No options.' },
    { heading: 'Backend permissions', level: 2 },
    manifest.backendPermissions?.length
      ? { table: { head: ['System', 'Grant', 'Why'], rows: manifest.backendPermissions.map((p) => [plain(p.system), plain(p.grant), plain(p.why)]) } }
      : { para: 'None declared.' },
    { heading: 'Optional dependencies', level: 2 },
    manifest.requires?.length
      ? { table: { head: ['Kind', 'Name', 'Checked on', 'Install'], rows: manifest.requires.map((r) => [r.kind, code(r.name), r.where ?? 'local', code(r.install)]) } }
      : { para: 'None.' },
    { heading: 'Commands it runs', level: 2 },
    { para: manifest.commands.length ? `Through the executor's allow-list only: ${manifest.commands.map(code).join(', ')}.` : 'None.' },
  ];
  return { path: driverPagePath(manifest.name), title: `Driver ${manifest.name}`, blocks };
}

/** A suite result as read from a conformance report. */
export interface SuiteResult {
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'skipped';
}

/** What the matrix takes from one conformance report. */
export interface DriverReport {
  readonly driver: string;
  readonly suites: readonly SuiteResult[];
  readonly file: string;
}

function normalizeStatus(s: unknown): SuiteResult['status'] | undefined {
  const v = String(s).toLowerCase();
  if (['passed', 'pass', 'ok', 'success'].includes(v)) return 'passed';
  if (['failed', 'fail', 'error', 'failure'].includes(v)) return 'failed';
  if (['skipped', 'skip', 'pending', 'not-declared', 'unsupported'].includes(v)) return 'skipped';
  return undefined;
}

/**
 * Reads every `*.json` in `dir` defensively: a report is `{driver, suites: [{name,
 * status}]}` where `driver` may be a string or `{name}`, a suite may name its capability
 * in `capability` instead of `name`, and status is passed/failed/skipped (or pass/fail/
 * skip, ok/error, pending). Files that do not fit are reported in `ignored`, never fatal.
 */
export async function readReports(dir: string): Promise<{ reports: DriverReport[]; ignored: string[] }> {
  const reports: DriverReport[] = [];
  const ignored: string[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Record<string, unknown>;
    } catch {
      ignored.push(`${file}: not JSON`);
      continue;
    }
    const driverField = data.driver as unknown;
    const driver = typeof driverField === 'string' ? driverField : typeof (driverField as { name?: unknown })?.name === 'string' ? (driverField as { name: string }).name : undefined;
    if (!driver || !Array.isArray(data.suites)) {
      ignored.push(`${file}: no driver name or suites array`);
      continue;
    }
    const suites: SuiteResult[] = [];
    for (const s of data.suites as Record<string, unknown>[]) {
      const name = typeof s?.capability === 'string' ? s.capability : s?.name;
      const status = normalizeStatus(s?.status);
      if (typeof name === 'string' && status) suites.push({ name, status });
    }
    reports.push({ driver, suites, file });
  }
  return { reports, ignored };
}

const MARK = { passed: 'passed', failed: '**FAILED**', skipped: 'skipped' } as const;

/** The support matrix; with reports, each declared capability shows its conformance result. */
export function supportMatrixPage(manifests: readonly DriverManifest[], reports: readonly DriverReport[] = []): Page {
  const caps = ((loadCoreSchemas().find((s) => s.title === 'Capability')?.enum ?? []) as Capability[]).slice();
  const cell = (m: DriverManifest, suite: string, declared: boolean): string => {
    const results = reports.filter((r) => r.driver === m.name).flatMap((r) => r.suites.filter((s) => s.name === suite));
    const status = results.some((r) => r.status === 'failed') ? 'failed' : results.some((r) => r.status === 'passed') ? 'passed' : results.length ? 'skipped' : undefined;
    const base = declared ? 'yes' : '—';
    return status ? `${base} (${MARK[status]})` : base;
  };
  const blocks: Block[] = [
    { heading: 'Support matrix', level: 1 },
    {
      para: `Capabilities each driver declares in its manifest ("yes"). ${reports.length ? `Conformance results from ${reports.map((r) => code(r.file)).join(', ')} follow in parentheses: a suite whose name (or ${code('capability')} field) equals a capability is shown in its column, the suite ${code('required')} in the first column.` : `Build with ${code('ashlar docs build --reports <dir>')} to add conformance results from JSON reports (${code('{driver, suites: [{name, status}]}')}).`}`,
    },
    {
      table: {
        head: ['Driver', 'required', ...caps.map((c) => link(code(c), `driver-guide.md#${capabilityAnchor(c)}`))],
        rows: [...manifests]
          .sort((a, b) => a.name.localeCompare(b.name, 'en'))
          .map((m) => [link(code(m.name), driverPagePath(m.name)), cell(m, 'required', true), ...caps.map((c) => cell(m, c, (m.capabilities as string[]).includes(c)))]),
      },
    },
  ];
  return { path: 'support-matrix.md', title: 'Support matrix', blocks };
}
