import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A loop-mounted XFS filesystem with reflink enabled, made for one test and removed after. */
export interface ReflinkFs {
  readonly mountPoint: string;
  dispose(): Promise<void>;
}

/** Why a reflink filesystem cannot be made here, or undefined when it can. */
export async function reflinkUnavailableReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'root (to loop-mount a filesystem)';
  try {
    await run('mkfs.xfs', ['-V']);
  } catch {
    return 'mkfs.xfs (Debian package xfsprogs)';
  }
  return undefined;
}

/** Creates a sparse image, formats it as XFS with reflink, and loop-mounts it. */
export async function makeReflinkFs(sizeMiB = 512): Promise<ReflinkFs> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'ashlar-xfs-'));
  const image = path.join(base, 'fs.img');
  const mountPoint = path.join(base, 'mnt');
  await run('truncate', ['-s', `${sizeMiB}M`, image]);
  await run('mkfs.xfs', ['-q', '-m', 'reflink=1', image]);
  await run('mkdir', ['-p', mountPoint]);
  await run('mount', ['-o', 'loop', image, mountPoint]);
  return {
    mountPoint,
    async dispose() {
      await run('umount', [mountPoint]).catch(() => run('umount', ['-l', mountPoint]));
      await rm(base, { recursive: true, force: true });
    },
  };
}
