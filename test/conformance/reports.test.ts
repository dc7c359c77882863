import { expect } from 'chai';
import type { ConformanceReport } from '../../core/generated/schemas.js';
import { createTransport } from '../../core/executor/transport-factory.js';
import { CLI_TRANSPORTS } from '../../cli/transports.js';
import { hasErrorCode } from '../../core/errors/ashlar-error.js';
import { formatReplay, parseReplay } from '../../conformance/replay.js';
import { parseDuration } from '../../conformance/duration.js';
import { renderJson } from '../../conformance/report/json.js';
import { renderJunit, xmlEscape } from '../../conformance/report/junit.js';
import { renderMarkdown } from '../../conformance/report/markdown.js';

const failing: ConformanceReport = {
  reportVersion: 1,
  tool: { name: 'ashlar', version: '0.1.0', contract: '1.0.0' },
  driver: { spec: './x.ts', name: 'x', version: '1.0.0', capabilities: ['snapshots'] },
  options: { seed: 7, runs: 10, maxCommands: 40 },
  startedAt: new Date(0).toISOString(),
  durationMs: 12,
  passed: false,
  interrupted: false,
  suites: [
    {
      name: 'lifecycle',
      status: 'failed',
      durationMs: 10,
      checks: [{ name: 'model', status: 'failed', durationMs: 10, runs: 3, message: 'bad <data> & "quotes"\u0000', failure: { property: 'lifecycle/model', message: 'bad <data>', seed: 7, path: '1:2', replay: 'lifecycle.model~7~1:2~40~AB:C', commands: ['createVolume(1 GiB)'], driverError: { code: 'BACKEND_ERROR', message: 'x' } } }],
    },
  ],
  skipped: [{ kind: 'command', name: 'createClonedVolume', reason: 'capability "clone" is not declared' }],
  cleanup: { status: 'passed', created: 1, deleted: 1, leftovers: [], errors: [] },
  figures: { modelRuns: 3, modelSteps: 9, stepsPerSecond: 900 },
};

describe('conformance reports', () => {
  it('validates the JSON report against its schema and refuses a malformed one', () => {
    expect(JSON.parse(renderJson(failing))).to.deep.equal(failing);
    expect(() => renderJson({ ...failing, passed: 'no' } as unknown as ConformanceReport)).to.throw(/schema/);
  });

  it('escapes JUnit XML and counts failures and gated skips', () => {
    const xml = renderJunit(failing);
    expect(xml).to.include('bad &lt;data&gt; &amp; &quot;quotes&quot;\ufffd');
    expect(xml).to.not.include('\u0000');
    expect(xml).to.match(/<testsuites [^>]*tests="3" failures="1" errors="0" skipped="1"/);
    expect(xml).to.include('--replay &apos;lifecycle.model~7~1:2~40~AB:C&apos;');
    expect(xmlEscape("a'b")).to.equal('a&apos;b');
  });

  it('summarises in Markdown with the minimal sequence and the replay command', () => {
    const md = renderMarkdown(failing);
    expect(md).to.include('— FAILED');
    expect(md).to.include('createVolume(1 GiB)');
    expect(md).to.include("ashlar conformance run ./x.ts --replay 'lifecycle.model~7~1:2~40~AB:C'");
  });

  it('round-trips replay tokens and rejects malformed ones', () => {
    const t = { property: 'concurrency.clone-race', seed: -3, path: '0:1', maxCommands: 40, replayPath: undefined };
    expect(parseReplay(formatReplay(t))).to.deep.equal(t);
    expect(parseReplay('lifecycle.model~1~2~3~AB/+:C').replayPath).to.equal('AB/+:C');
    expect(() => parseReplay('nonsense')).to.throw();
  });

  it('parses durations', () => {
    expect(parseDuration('1m30s')).to.equal(90_000);
    expect(parseDuration('45')).to.equal(45_000);
    expect(parseDuration('500ms')).to.equal(500);
    expect(() => parseDuration('soon')).to.throw();
  });

  it('builds transports from config specs and refuses unknown kinds', () => {
    expect(createTransport({ kind: 'local' }).description).to.equal('local');
    for (const bad of [{ kind: 'ssh' }, { kind: 'lvm-host' }, { kind: 'lvm-host', host: '/nonexistent/host.json' }]) {
      try {
        createTransport(bad, CLI_TRANSPORTS);
        expect.fail('accepted');
      } catch (err) {
        expect(hasErrorCode(err, 'CONFIG_INVALID'), String(err)).to.equal(true);
      }
    }
  });
});
