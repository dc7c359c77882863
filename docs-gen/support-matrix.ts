/** The support matrix: drivers × capabilities, with the verdicts of their conformance reports. */
import type { Capability, DriverManifest } from '../core/contract/types.js';
import { loadCoreSchemas } from '../core/validation/schema-registry.js';
import { capabilityResults, type CapabilityResult } from './capability-results.js';
import { latestByDriver, reportPagePath, type DriverReport } from './conformance-reports.js';
import { capabilityAnchor } from './driver-guide.js';
import { driverPagePath } from './driver-pages.js';
import { code, link, type Block, type Page } from './page.js';

const SHOWN: Record<CapabilityResult, string> = {
  certified: 'certified',
  failed: '**failed**',
  'checks passed': 'checks passed',
  'not tested': 'not tested',
  'not declared': 'not declared',
};

function driverRow(m: DriverManifest, caps: readonly string[], report: DriverReport | undefined): string[] {
  const name = link(code(m.name), driverPagePath(m.name));
  if (!report) return [name, m.version, 'no report', 'declared', ...caps.map((c) => ((m.capabilities as string[]).includes(c) ? 'declared' : 'not declared'))];
  const r = report.report;
  const results = capabilityResults(r, caps);
  const tested = `${link(r.startedAt.slice(0, 10), reportPagePath(m.name))}, driver ${r.driver.version}, ashlar ${r.tool.version}`;
  return [name, m.version, tested, SHOWN[results.required], ...caps.map((c) => SHOWN[results.capabilities.get(c) ?? 'not declared'])];
}

/** The support matrix page; with reports, each cell is the verdict of the driver's newest run. */
export function supportMatrixPage(manifests: readonly DriverManifest[], reports: readonly DriverReport[] = []): Page {
  const caps = ((loadCoreSchemas().find((s) => s.title === 'Capability')?.enum ?? []) as Capability[]).slice();
  const latest = latestByDriver(reports);
  const intro = reports.length
    ? `Verdicts of each driver's newest conformance report (${reports.map((r) => code(r.file)).join(', ')}). **certified**: declared and the whole run passed; **failed**: a failed check names one of the capability's methods (failures naming none fail ${code('required')}); **not tested**: declared, but this runner does not exercise it yet; **checks passed**: its checks passed but the run failed elsewhere. The date links to the full report.`
    : `Capabilities each driver declares in its manifest. Build with ${code('ashlar docs build --reports <dir>')} (JSON reports of ${code('ashlar conformance run --report-json')}) to show certified / failed per capability, with the date and versions of each run.`;
  const blocks: Block[] = [
    { heading: 'Support matrix', level: 1 },
    { para: intro },
    {
      table: {
        head: ['Driver', 'Version', 'Conformance run', 'required', ...caps.map((c) => link(code(c), `driver-guide.md#${capabilityAnchor(c)}`))],
        rows: [...manifests].sort((a, b) => a.name.localeCompare(b.name, 'en')).map((m) => driverRow(m, caps, latest.get(m.name))),
      },
    },
  ];
  return { path: 'support-matrix.md', title: 'Support matrix', blocks };
}
