/**
 * What the conformance replication suite asks of the simulator (its harness commands):
 *
 *   node --import tsx scripts/ontap-sim/harness.ts transfer DIR CONFIG.json
 *     one SnapMirror update of every relationship of the cluster in DIR (a destination),
 *     waiting for each transfer job;
 *   node --import tsx scripts/ontap-sim/harness.ts faults DIR CONFIG.json '{"unresponsive": true}'
 *     sets injected faults (PATCH /api/_sim/faults).
 * CONFIG.json is the file the cluster was started with; its admin account is used.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

type Rec = Record<string, unknown>;

const [command, dir, configFile, arg] = process.argv.slice(2);
if (command === undefined || dir === undefined || configFile === undefined) {
  process.stderr.write('usage: harness.ts transfer|faults DIR CONFIG.json [faults-json]\n');
  process.exit(2);
}
const config = JSON.parse(readFileSync(configFile, 'utf8')) as { users: { name: string; password: string; role: string }[] };
const admin = config.users.find((u) => u.role === 'admin');
if (admin === undefined) throw new Error(`${configFile} has no admin account`);
const port = readFileSync(path.join(dir, 'ports'), 'utf8').trim().split(' ')[0]!;
const base = `http://127.0.0.1:${port}`;
const auth = `Basic ${Buffer.from(`${admin.name}:${admin.password}`).toString('base64')}`;

async function call(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: Rec }> {
  const res = await fetch(new URL(apiPath, base), { method, headers: { authorization: auth, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  const parsed = (text === '' ? {} : JSON.parse(text)) as Rec;
  if (res.status >= 400) throw new Error(`${method} ${apiPath}: HTTP ${res.status} ${text}`);
  return { status: res.status, body: parsed };
}

async function transferAll(): Promise<void> {
  const rels = (await call('GET', '/api/snapmirror/relationships?fields=state')).body.records as Rec[];
  for (const r of rels) {
    if (r.state !== 'snapmirrored') continue;
    const answer = await call('POST', `/api/snapmirror/relationships/${String(r.uuid)}/transfers`, {});
    const href = ((answer.body.job as Rec | undefined)?._links as { self?: { href: string } } | undefined)?.self?.href;
    // Polled without a deadline: the caller's own timeout ends a transfer that never finishes.
    while (href !== undefined) {
      const job = (await call('GET', href)).body;
      if (job.state === 'success') break;
      if (job.state === 'failure') throw new Error(`transfer of ${String(r.uuid)} failed: ${String(job.message)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

if (command === 'transfer') await transferAll();
else if (command === 'faults') await call('PATCH', '/api/_sim/faults', JSON.parse(arg ?? '{}'));
else throw new Error(`unknown command ${command}`);
