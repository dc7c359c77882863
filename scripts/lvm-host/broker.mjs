#!/usr/bin/env node
// Host-side broker of the throwaway UML LVM test host (Node 20, no dependencies).
//
// It boots the UML guest as its own child, owns the guest's serial line (UML ssl0 on the
// child's fds 3 and 4), sets up the PVs and the volume group, then serves DIR/host.sock.
// Started by start.sh; see README.md for the protocol. Usage:
//   node broker.mjs --dir DIR --cache CACHE --vg NAME --disks N --disk-size SIZE
//                   [--cpu N] [--mem 512M] [--boot-timeout-ms 60000]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const MAX_HEADER = 1 << 20;
const MAX_BODY = 1 << 30;
const KILL_GRACE_MS = 5000;
/** At most this many windows of a command's limit while its disks show progress. */
const MAX_WINDOWS = 10;

// Gotcha 2 (README.md): the FXSAVE fallback loses AVX state on guest page faults, so glibc
// in the guest must stay on SSE code paths. Passed on the kernel command line, inherited by
// init and every guest process.
const GLIBC_TUNABLES =
  'glibc.cpu.hwcaps=-AVX,-AVX2,-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD,-AVX512ER,' +
  '-AVX512PF,-FMA,-AVX_Fast_Unaligned_Load';

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i];
    if (!k.startsWith('--') || i + 1 >= argv.length) throw new Error(`bad argument ${k}`);
    out[k.slice(2)] = argv[i + 1];
  }
  for (const k of ['dir', 'cache', 'vg', 'disks', 'disk-size']) {
    if (out[k] === undefined) throw new Error(`missing --${k}`);
  }
  return out;
}

const opts = parseArgs(process.argv.slice(2));
const dir = path.resolve(opts.dir);
const cache = path.resolve(opts.cache);
const vg = opts.vg;
const disks = Number(opts.disks);
const cpu = opts.cpu ?? '0';
const mem = opts.mem ?? '512M';
const bootTimeoutMs = Number(opts['boot-timeout-ms'] ?? 60000);
const xfer = path.join(dir, 'xfer');
const sockPath = path.join(dir, 'host.sock');
const pidsPath = path.join(dir, 'pids');
const t0 = Date.now();

function log(msg) {
  process.stderr.write(`${new Date().toISOString()} broker: ${msg}\n`);
}

function procStartTime(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return '0';
  }
}

function recordPid(name, pid) {
  fs.appendFileSync(pidsPath, `${name} ${pid} ${procStartTime(pid)}\n`);
}

// ---------------------------------------------------------------- guest process + serial
let uml = null;
let umlExited = false;
let shuttingDown = false;
let serialBuf = '';
const lineWaiters = new Set(); // {match(line) -> bool}

function onGuestLine(line) {
  let handled = false;
  for (const w of [...lineWaiters]) {
    if (w.match(line)) {
      handled = true;
      lineWaiters.delete(w);
    }
  }
  if (!handled) log(`guest: ${line}`);
}

function waitLine(match, timeoutMs) {
  return new Promise((resolve, reject) => {
    const w = {
      match: (line) => {
        const m = match(line);
        if (m) {
          clearTimeout(timer);
          resolve(line);
        }
        return !!m;
      },
      fail: (err) => {
        clearTimeout(timer);
        lineWaiters.delete(w);
        reject(err);
      },
    };
    const timer = setTimeout(() => {
      lineWaiters.delete(w);
      reject(Object.assign(new Error('timed out waiting for guest'), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    lineWaiters.add(w);
  });
}

/** Modification time and allocated blocks of the guest's disk files: any write or discard changes them. */
function diskState() {
  return Array.from({ length: disks }, (_, i) => {
    try {
      const st = fs.statSync(path.join(dir, `disk${i}.img`), { bigint: true });
      return `${st.mtimeNs}:${st.blocks}`;
    } catch {
      return 'gone';
    }
  }).join(',');
}

function sendLine(line) {
  if (!uml || umlExited) throw new Error('guest is not running');
  uml.stdio[3].write(`${line}\n`);
}

function startGuest() {
  fs.rmSync(xfer, { recursive: true, force: true });
  fs.mkdirSync(xfer, { recursive: true });
  fs.mkdirSync(path.join(dir, 'uml'), { recursive: true });
  const root = path.join(cache, 'root');
  const kernel = path.join(root, 'usr/bin/linux.uml');
  const umid = `ashlar-${process.pid}`;
  const args = [
    '-c', cpu,
    'perl', path.join(here, 'seccomp-launch.pl'),
    kernel,
    `mem=${mem}`,
    'root=/dev/root', 'rootfstype=hostfs', `rootflags=${root}`, 'ro',
  ];
  for (let i = 0; i < disks; i++) args.push(`ubd${i}=${path.join(dir, `disk${i}.img`)}`);
  args.push(
    `umid=${umid}`, `uml_dir=${path.join(dir, 'uml')}`,
    'con=null', 'con0=null,fd:1', 'ssl=null', 'ssl0=fd:3,fd:4',
    'init=/init', 'quiet',
    `GLIBC_TUNABLES=${GLIBC_TUNABLES}`,
    `ASHLAR_XFER=${xfer}`,
  );
  const consoleFd = fs.openSync(path.join(dir, 'console.log'), 'a');
  // Guest RAM is a file UML creates in $TMPDIR and unlinks at once; give it a folder of its
  // own on /dev/shm (tmpfs) so stop.sh can clean up even after a KILL.
  const shm = `/dev/shm/ashlar-lvm-host.${process.pid}`;
  fs.mkdirSync(shm, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'shmdir'), `${shm}\n`);
  const env = { ...process.env, TMPDIR: shm };
  delete env.TMP;
  delete env.TEMP;
  uml = spawn('taskset', args, {
    stdio: ['ignore', consoleFd, consoleFd, 'pipe', 'pipe'],
    env,
  });
  fs.closeSync(consoleFd);
  recordPid('uml', uml.pid);
  log(`guest started: pid ${uml.pid}, cpu ${cpu}, ${disks} disk(s)`);
  uml.stdio[4].setEncoding('latin1');
  uml.stdio[4].on('data', (chunk) => {
    serialBuf += chunk;
    let nl;
    while ((nl = serialBuf.indexOf('\n')) >= 0) {
      const line = serialBuf.slice(0, nl).replace(/\r$/, '');
      serialBuf = serialBuf.slice(nl + 1);
      if (line.length) onGuestLine(line);
    }
  });
  uml.stdio[3].on('error', (e) => log(`serial write error: ${e.message}`));
  uml.stdio[4].on('error', (e) => log(`serial read error: ${e.message}`));
  uml.on('exit', (code, signal) => {
    umlExited = true;
    log(`guest exited (code ${code}, signal ${signal})`);
    for (const w of [...lineWaiters]) w.fail(new Error('guest exited'));
    if (!shuttingDown) {
      for (const job of queue.splice(0)) reply(job, errorHeader('EGUESTDOWN', 'guest exited'));
      if (current) current.abortGuest?.(new Error('guest exited'));
      shutdown(1);
    }
  });
}

// ---------------------------------------------------------------- running one command
let seq = 0;
const queue = [];
let current = null;

function errorHeader(code, message) {
  return { ok: false, code, message };
}

function reply(job, header, stdout = Buffer.alloc(0), stderr = Buffer.alloc(0)) {
  if (job.replied) return;
  job.replied = true;
  const h = Buffer.from(
    JSON.stringify({ ...header, stdoutLength: stdout.length, stderrLength: stderr.length }),
  );
  const len = Buffer.alloc(4);
  len.writeUInt32BE(h.length);
  if (job.sock && !job.sock.destroyed) {
    job.sock.end(Buffer.concat([len, h, stdout, stderr]));
  }
}

async function readAndRemove(id) {
  const base = path.join(xfer, String(id));
  const read = async (ext) => {
    try {
      return await fsp.readFile(`${base}.${ext}`);
    } catch {
      return Buffer.alloc(0);
    }
  };
  const [stdout, stderr] = await Promise.all([read('out'), read('err')]);
  await Promise.all(
    ['argv', 'env', 'in', 'out', 'err'].map((ext) => fsp.rm(`${base}.${ext}`, { force: true })),
  );
  return { stdout, stderr };
}

/**
 * Runs argv in the guest. Resolves {exitCode, stdout, stderr, timedOut, aborted}.
 * Never rejects for a command failure; rejects only when the guest is gone.
 */
async function guestRun(argv, { stdin, env, deadline, isAborted, onAbortHook }) {
  const id = ++seq;
  const base = path.join(xfer, String(id));
  await fsp.writeFile(`${base}.argv`, argv.map((a) => `${a}\0`).join(''));
  const envEntries = Object.entries(env ?? {});
  if (envEntries.length) {
    await fsp.writeFile(`${base}.env`, envEntries.map(([k, v]) => `${k}=${v}\0`).join(''));
  }
  if (stdin && stdin.length) await fsp.writeFile(`${base}.in`, stdin);
  const done = waitLine((l) => l.startsWith(`D ${id} `) || l.startsWith(`E ${id} `), 2 ** 31 - 1);
  done.catch(() => {}); // observed below; never an unhandled rejection
  sendLine(`R ${id} ${stdin && stdin.length ? 1 : 0}`);

  let timedOut = false;
  let aborted = false;
  let lastWindows = 1;
  let killSent = false;
  const kill = () => {
    if (killSent) return;
    killSent = true;
    try {
      sendLine(`K ${id}`);
    } catch {
      /* guest gone: done will reject */
    }
  };
  // The limit is a window without progress, not a wall-clock total: when it passes while
  // the guest's disks still change (a discard or a dd crawling on a busy host disk), the
  // command is working, so it gets another window, up to MAX_WINDOWS in all.
  let timer;
  const window = Math.max(1, deadline - Date.now());
  let windows = 1;
  let seen = diskState();
  const expired = new Promise((resolve) => {
    const arm = () => {
      timer = setTimeout(() => {
        const now = diskState();
        if (now !== seen && windows < MAX_WINDOWS) {
          seen = now;
          windows++;
          arm();
        } else {
          resolve('timeout');
        }
      }, window);
    };
    arm();
  });
  let abortResolve;
  const abortP = new Promise((resolve) => {
    abortResolve = resolve;
  });
  onAbortHook((err) => abortResolve(err ?? 'abort'));
  if (isAborted()) abortResolve('abort');

  let line = await Promise.race([done, expired, abortP]);
  clearTimeout(timer);
  if (line === 'timeout' || line === 'abort' || line instanceof Error) {
    if (line instanceof Error) throw line;
    timedOut = line === 'timeout';
    lastWindows = windows;
    aborted = line === 'abort';
    kill();
    const grace = new Promise((resolve) => setTimeout(resolve, KILL_GRACE_MS, null));
    line = await Promise.race([done.catch(() => null), grace]);
    if (line === null) log(`request ${id}: no answer ${KILL_GRACE_MS} ms after kill`);
  }
  const { stdout, stderr } = await readAndRemove(id);
  if (line && line.startsWith('E ')) {
    return { error: line.slice(`E ${id} `.length), stdout, stderr, timedOut, aborted };
  }
  const exitCode = line ? Number(line.split(' ')[2]) : 137;
  return { exitCode, stdout, stderr, timedOut, aborted, windows: lastWindows };
}

async function pump() {
  if (current) return;
  while (queue.length) {
    const job = queue.shift();
    if (job.replied) continue;
    if (job.sock.destroyed) continue;
    // The limit counts from here, not from arrival: time spent behind other commands is
    // the queue making progress, and on a slow machine it can exceed any one limit.
    current = job;
    const started = Date.now();
    job.deadline = started + job.timeoutMs;
    try {
      const r = await guestRun(job.argv, {
        stdin: job.stdin,
        env: job.env,
        deadline: job.deadline,
        isAborted: () => job.sock.destroyed,
        onAbortHook: (fn) => {
          job.abortGuest = fn;
        },
      });
      const durationMs = Date.now() - started;
      if (r.timedOut) {
        reply(
          job,
          { ...errorHeader('ETIMEDOUT', r.windows >= MAX_WINDOWS ? `ran ${MAX_WINDOWS} windows of ${job.timeoutMs} ms (its disks kept changing) in the guest; killed there` : `no progress on the guest's disks for ${job.timeoutMs} ms (after ${r.windows} window(s)); killed there`), exitCode: r.exitCode, durationMs },
          r.stdout,
          r.stderr,
        );
      } else if (r.aborted) {
        // Client is gone; nothing to send.
      } else if (r.error !== undefined) {
        reply(job, { ...errorHeader('EGUEST', r.error), durationMs }, r.stdout, r.stderr);
      } else {
        reply(job, { ok: true, exitCode: r.exitCode, durationMs }, r.stdout, r.stderr);
      }
    } catch (e) {
      reply(job, errorHeader('EGUESTDOWN', String(e.message ?? e)));
    }
    current = null;
  }
}

// ---------------------------------------------------------------- socket protocol
function validate(h) {
  if (h.op === 'info') return null;
  if (h.op !== 'run') return 'op must be "run" or "info"';
  if (!Array.isArray(h.argv) || h.argv.length === 0) return 'argv must be a non-empty array';
  for (const a of h.argv) {
    if (typeof a !== 'string') return 'argv elements must be strings';
    if (a.includes('\0')) return 'argv elements must not contain NUL';
  }
  if (typeof h.timeoutMs !== 'number' || !(h.timeoutMs > 0) || h.timeoutMs > 7 * 86400000) {
    return 'timeoutMs must be a positive number';
  }
  if (h.env !== undefined) {
    if (typeof h.env !== 'object' || h.env === null) return 'env must be an object';
    for (const [k, v] of Object.entries(h.env)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) return `bad env name ${JSON.stringify(k)}`;
      if (typeof v !== 'string' || v.includes('\0')) return `bad env value for ${k}`;
    }
  }
  const n = h.stdinLength ?? 0;
  if (!Number.isInteger(n) || n < 0 || n > MAX_BODY) return 'bad stdinLength';
  return null;
}

let hostInfo = null;

function onConnection(sock) {
  // Chunks are collected in a list (not concatenated per chunk: stdin may be large).
  let chunks = [];
  let have = 0;
  let header = null;
  let job = null;
  sock.on('error', () => {});
  sock.on('close', () => {
    if (job && current === job && !job.replied) job.abortGuest?.('abort');
  });
  sock.on('data', (chunk) => {
    if (job) return; // one request per connection
    chunks.push(chunk);
    have += chunk.length;
    if (!header) {
      if (have < 4) return;
      let buf = Buffer.concat(chunks);
      const hl = buf.readUInt32BE(0);
      if (hl > MAX_HEADER) return sock.destroy();
      if (have < 4 + hl) {
        chunks = [buf];
        return;
      }
      try {
        header = JSON.parse(buf.subarray(4, 4 + hl).toString('utf8'));
      } catch {
        return sock.destroy();
      }
      buf = buf.subarray(4 + hl);
      chunks = [buf];
      have = buf.length;
      const err = validate(header);
      if (err) {
        job = { sock };
        return reply(job, errorHeader('EINVAL', err));
      }
      if (header.op === 'info') {
        job = { sock };
        const body = Buffer.from(JSON.stringify(hostInfo));
        return reply(job, { ok: true, exitCode: 0 }, body);
      }
    }
    const n = header.stdinLength ?? 0;
    if (have < n) return;
    const stdin = Buffer.concat(chunks).subarray(0, n);
    chunks = [];
    job = {
      sock,
      argv: header.argv,
      env: header.env,
      stdin,
      timeoutMs: header.timeoutMs,
      replied: false,
    };
    queue.push(job);
    pump();
  });
}

// ---------------------------------------------------------------- lifecycle
let server = null;

async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  log('shutting down');
  server?.close();
  for (const job of queue.splice(0)) reply(job, errorHeader('ESHUTDOWN', 'host is stopping'));
  if (uml && !umlExited) {
    const exited = new Promise((resolve) => uml.once('exit', resolve));
    try {
      sendLine('H');
    } catch {
      /* ignore */
    }
    const ok = await Promise.race([exited.then(() => true), sleep(8000).then(() => false)]);
    if (!ok) {
      log('guest did not power off; killing it');
      uml.kill('SIGKILL');
      await Promise.race([exited, sleep(3000)]);
    }
  }
  fs.rmSync(sockPath, { force: true });
  fs.rmSync(xfer, { recursive: true, force: true });
  fs.rmSync(`/dev/shm/ashlar-lvm-host.${process.pid}`, { recursive: true, force: true });
  log(`stopped (exit ${code})`);
  process.exit(code);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Setup commands share the boot's limit: both are set by start.sh --timeout, which the
// caller scales to the machine's load.
async function setupCommand(argv, timeoutMs = bootTimeoutMs) {
  const r = await guestRun(argv, {
    deadline: Date.now() + timeoutMs,
    isAborted: () => false,
    onAbortHook: () => {},
  });
  if (r.timedOut || r.error !== undefined || r.exitCode !== 0) {
    throw new Error(
      `setup command ${JSON.stringify(argv)} failed: ${r.timedOut ? `budget --boot-timeout-ms (${timeoutMs} ms) ran out` : r.error ?? `exit ${r.exitCode}`}\n` +
        r.stdout.toString() + r.stderr.toString(),
    );
  }
  return r.stdout.toString().trim();
}

async function main() {
  recordPid('broker', process.pid);
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGHUP', () => shutdown(0));
  fs.rmSync(sockPath, { force: true });
  startGuest();
  const ready = await waitLine((l) => l.startsWith('READY '), bootTimeoutMs).catch((e) => {
    throw e.code === 'ETIMEDOUT' ? new Error(`budget --boot-timeout-ms (${bootTimeoutMs} ms) ran out waiting for the guest's READY line`) : e;
  });
  const bootMs = Date.now() - t0;
  log(`guest ready after ${bootMs} ms (${ready})`);
  const devs = Array.from({ length: disks }, (_, i) => `/dev/ubd${String.fromCharCode(97 + i)}`);
  await setupCommand(['pvcreate', '-q', ...devs]);
  await setupCommand(['vgcreate', '-q', vg, ...devs]);
  const lvmVersion = await setupCommand(['lvm', 'version']);
  const vgSize = await setupCommand(['vgs', '--noheadings', '--units', 'b', '--nosuffix', '-o', 'vg_size', vg]);
  server = net.createServer(onConnection);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(sockPath, resolve);
  });
  const readyMs = Date.now() - t0;
  hostInfo = {
    socket: sockPath,
    vg,
    dir,
    pids: { broker: process.pid, uml: uml.pid },
    guest: {
      kernel: ready.split(' ')[1],
      lvm: lvmVersion.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('Configuration')),
      disks: devs,
      diskFiles: Array.from({ length: disks }, (_, i) => path.join(dir, `disk${i}.img`)),
      vgSizeBytes: Number(vgSize),
      cpu: Number(cpu),
      mem,
      cache,
      bootMs,
      readyMs,
    },
  };
  const tmp = path.join(dir, 'host.json.tmp');
  fs.writeFileSync(tmp, `${JSON.stringify(hostInfo, null, 2)}\n`);
  fs.renameSync(tmp, path.join(dir, 'host.json'));
  log(`ready after ${readyMs} ms; serving ${sockPath}`);
}

main().catch((e) => {
  log(`fatal: ${e.stack ?? e}`);
  shutdown(1);
});
