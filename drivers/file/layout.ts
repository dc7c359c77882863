import path from 'node:path';
import { assertValidResourceId } from '../../core/contract/names.js';
import { AshlarError } from '../../core/errors/ashlar-error.js';

/** Names a manageable file may have: no separators, no leading dot. */
const MANAGEABLE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/**
 * Where everything lives under the driver's directory. Every path is built from a
 * validated id, so nothing a caller names can leave the directory.
 */
export class FileLayout {
  readonly root: string;
  readonly volumesDir: string;
  readonly snapshotsDir: string;
  readonly tmpDir: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.volumesDir = path.join(this.root, 'volumes');
    this.snapshotsDir = path.join(this.root, 'snapshots');
    this.tmpDir = path.join(this.root, 'tmp');
  }

  volume(id: string): string {
    assertValidResourceId(id, 'volume id');
    return path.join(this.volumesDir, `volume-${id}.img`);
  }

  snapshot(id: string): string {
    assertValidResourceId(id, 'snapshot id');
    return path.join(this.snapshotsDir, `snapshot-${id}.img`);
  }

  snapshotMeta(id: string): string {
    assertValidResourceId(id, 'snapshot id');
    return path.join(this.snapshotsDir, `snapshot-${id}.json`);
  }

  /** A file in the volumes directory that is not (yet) a managed volume. */
  manageable(name: string): string {
    if (!MANAGEABLE_NAME.test(name) || name.startsWith('volume-')) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `"${name.slice(0, 80)}" is not a manageable file name` } });
    }
    return path.join(this.volumesDir, name);
  }

  /** A unique temporary path on the same filesystem, so a finished file can be linked into place. */
  temp(label: string): string {
    return path.join(this.tmpDir, `${label}.${process.pid}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`);
  }

  /** The id of a managed volume file name, or undefined. */
  static volumeIdOf(fileName: string): string | undefined {
    return /^volume-(.+)\.img$/.exec(fileName)?.[1];
  }
}
