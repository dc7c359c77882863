import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { BudgetExpiredError, BudgetMeter, scaledMs, watchBudget } from '../../../core/executor/budget.js';
import { createExecutor } from '../../../core/executor/executor.js';
import { measureSlowness, SlownessGauge } from '../../../core/executor/slowness.js';
import type { CommandResult, CommandTransport, TransportRunOptions } from '../../../core/executor/transport.js';

/** A slowness source the test sets, standing for a machine under a known load. */
const fixed = (factor: number) => ({ factor: () => factor });

/** The coded error `p` rejects with (fails the test when it resolves). */
const failure = (p: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> =>
  p.then(
    () => expect.fail('should have failed'),
    (e: unknown) => e as { code: string; message: string; details: Record<string, unknown> },
  );

/** Resolves with the error a budget expires with. */
const expiry = (start: (onExpire: (e: BudgetExpiredError) => void) => void): Promise<BudgetExpiredError> =>
  new Promise((resolve) => start(resolve));

describe('executor: time budgets', () => {
  it('measures a slowness factor of at least 1, higher while another process competes for the CPU', function () {
    this.timeout(60_000);
    const idle = measureSlowness();
    expect(idle).to.be.at.least(1).and.at.most(100);
    // One busy child per core: this thread now gets at most about half a CPU.
    const hogs = Array.from({ length: 4 }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
    try {
      const deadline = Date.now() + 20_000;
      let loaded = measureSlowness();
      while (loaded < 1.5 && Date.now() < deadline) loaded = measureSlowness();
      expect(loaded).to.be.at.least(1.5);
    } finally {
      for (const h of hogs) h.kill('SIGKILL');
    }
  });

  it('caches a measurement in a gauge', () => {
    const gauge = new SlownessGauge(60_000);
    const first = gauge.factor();
    expect(gauge.factor()).to.equal(first);
  });

  it('scales a one-shot limit by the factor', () => {
    expect(scaledMs(60_000, fixed(3.5))).to.equal(210_000);
  });

  it('counts idle-machine time: a budget lasts factor times longer on a slow machine, and names itself', async () => {
    const spec = { name: 'test run', ms: 100, waitingFor: 'nothing in particular' };
    const started = performance.now();
    const err = await expiry((done) => watchBudget(spec, done, { gauge: fixed(4), tickMs: 10 }));
    const wall = performance.now() - started;
    expect(wall).to.be.at.least(400);
    expect(err.which).to.equal('total');
    expect(err.message).to.contain('budget "test run"').and.contain('100 ms').and.contain('nothing in particular');
  });

  it('never expires for lack of progress while progress is reported, and does once it stops', () => {
    const meter = new BudgetMeter({ name: 'watched child', ms: 1e9, idleMs: 60, waitingFor: 'output' });
    for (let i = 0; i < 30; i++) {
      expect(meter.elapse(50, 1), `step ${i}`).to.equal(undefined);
      meter.progress();
    }
    expect(meter.elapse(50, 1)).to.equal(undefined);
    const err = meter.elapse(50, 1);
    expect(err?.which).to.equal('idle');
    expect(err?.message).to.contain('60 ms without progress').and.contain('watched child').and.contain('1600 ms wall');
  });

  it('counts wall time at the slowness that held during it', () => {
    const meter = new BudgetMeter({ name: 'run', ms: 1000, waitingFor: 'the end' });
    expect(meter.elapse(2000, 4)).to.equal(undefined);
    expect(meter.elapse(2000, 4)).to.equal(undefined);
    expect(meter.usedMs()).to.equal(1000);
    expect(meter.elapse(10, 1)?.which).to.equal('total');
  });

  it('names the budget and the limit that ran out in a TIMEOUT', async () => {
    const plain = createExecutor({ owner: 'test', allow: ['sleep'], defaultTimeoutMs: 100 });
    const a = await failure(plain.run(['sleep', '10']));
    expect(a.code).to.equal('TIMEOUT');
    expect(a.details.budget).to.equal('defaultTimeoutMs');
    expect(a.message).to.contain('budget defaultTimeoutMs 100 ms').and.contain('after 100 ms');
    const b = await failure(plain.run(['sleep', '10'], { timeoutMs: 150, budget: 'commandTimeoutMs' }));
    expect(b.message).to.contain('budget commandTimeoutMs 150 ms');
  });

  it('reports the stretched limit when the transport gave the command more time', async () => {
    // A transport that, like the UML host's, scales the limit and says so on its error.
    const stretching: CommandTransport = {
      description: 'stretching',
      run(_argv: readonly string[], options: TransportRunOptions): Promise<CommandResult> {
        const ms = options.timeoutMs * 2;
        return new Promise((_resolve, reject) => {
          setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT', budget: { name: `${options.timeoutMs} ms × slowness 2.0`, ms } })), ms);
        });
      },
    };
    const exec = createExecutor({ owner: 'test', allow: ['lvremove'], transport: stretching });
    const err = await failure(exec.run(['lvremove', '-y', 'vg/lv'], { timeoutMs: 50 }));
    expect(err.code).to.equal('TIMEOUT');
    expect(err.message).to.contain('lvremove -y vg/lv').and.contain('timeoutMs: 50 ms × slowness 2.0').and.contain('after 100 ms');
  });
});
