import fc from 'fast-check';
import type { Capability } from '../../core/contract/types.js';
import { GetStats, RestartDriver } from './misc-commands.js';
import type { LifecycleModel } from './model.js';
import type { LifecycleReal } from './real.js';
import {
  CloneVolume,
  CreateSnapshot,
  DeleteSnapshot,
  DeleteSnapshotAgain,
  MissingSnapshotCalls,
  ReadSnapshot,
  RevertToSnapshot,
  VolumeFromSnapshot,
} from './snapshot-commands.js';
import {
  ConnectTwice,
  CreateExistingVolume,
  CreateVolume,
  DeleteVolume,
  DeleteVolumeAgain,
  ExtendVolume,
  MissingVolumeCalls,
  ShrinkVolume,
  VerifyVolume,
  WriteExtent,
} from './volume-commands.js';

type CommandArb = fc.Arbitrary<fc.AsyncCommand<LifecycleModel, LifecycleReal>>;

/** One kind of command the model can generate, and the capability it needs (if any). */
interface CommandKind {
  readonly name: string;
  readonly needs?: Capability;
  readonly arb: CommandArb;
  /** How often it is drawn relative to the others. @defaultValue 1 */
  readonly weight?: number;
}

const pick = fc.nat({ max: 15 });

/** Every command kind of the lifecycle model. */
const KINDS: readonly CommandKind[] = [
  { name: 'createVolume', weight: 3, arb: fc.integer({ min: 1, max: 4 }).map((s) => new CreateVolume(s)) },
  { name: 'createVolume (existing id)', arb: fc.tuple(pick, fc.boolean()).map(([p, retry]) => new CreateExistingVolume(p, retry)) },
  { name: 'deleteVolume', arb: pick.map((p) => new DeleteVolume(p)) },
  { name: 'deleteVolume (again)', arb: pick.map((p) => new DeleteVolumeAgain(p)) },
  // Extends, copies and restarts weigh double: the deep paths (an extended volume copied,
  // lineages across restarts) are where bugs hide that short or shallow runs never reach.
  { name: 'extendVolume', weight: 2, arb: fc.tuple(pick, fc.integer({ min: 1, max: 2 })).map(([p, g]) => new ExtendVolume(p, g)) },
  { name: 'extendVolume (shrink)', arb: pick.map((p) => new ShrinkVolume(p)) },
  {
    name: 'write',
    weight: 3,
    arb: fc
      // Unbiased position: fast-check's default bias toward small values would keep most
      // writes in the first megabytes, where a partial copy still looks right.
      .tuple(pick, fc.noBias(fc.integer({ min: 0, max: 1 << 20 })), fc.integer({ min: 1, max: 128 }), fc.integer({ min: 1, max: 0x7fffffff }))
      .map(([p, at, sectors, fill]) => new WriteExtent(p, at / (1 << 20), sectors * 512, fill)),
  },
  { name: 'read', arb: pick.map((p) => new VerifyVolume(p)) },
  { name: 'initialize/terminate connection (twice)', arb: pick.map((p) => new ConnectTwice(p)) },
  { name: 'calls on a missing volume', arb: fc.constant(new MissingVolumeCalls()) },
  { name: 'restart', weight: 2, arb: fc.constant(new RestartDriver()) },
  { name: 'getStats', arb: fc.constant(new GetStats()) },
  { name: 'createSnapshot', needs: 'snapshots', weight: 2, arb: pick.map((p) => new CreateSnapshot(p)) },
  { name: 'deleteSnapshot', needs: 'snapshots', arb: pick.map((p) => new DeleteSnapshot(p)) },
  { name: 'readSnapshot', needs: 'snapshots', arb: pick.map((p) => new ReadSnapshot(p)) },
  { name: 'deleteSnapshot (again)', needs: 'snapshots', arb: pick.map((p) => new DeleteSnapshotAgain(p)) },
  { name: 'createVolumeFromSnapshot', needs: 'snapshots', weight: 2, arb: fc.tuple(pick, fc.integer({ min: 0, max: 1 })).map(([p, e]) => new VolumeFromSnapshot(p, e)) },
  { name: 'calls on a missing snapshot', needs: 'snapshots', arb: fc.constant(new MissingSnapshotCalls()) },
  { name: 'createClonedVolume', needs: 'clone', weight: 2, arb: fc.tuple(pick, fc.integer({ min: 0, max: 1 })).map(([p, e]) => new CloneVolume(p, e)) },
  { name: 'revertToSnapshot', needs: 'revertToSnapshot', arb: pick.map((p) => new RevertToSnapshot(p)) },
];

/** The commands a driver's capabilities allow, and those left out with the reason. */
export function lifecycleCommands(capabilities: readonly Capability[]): { arbs: CommandArb[]; skipped: { name: string; reason: string }[] } {
  const declared = new Set(capabilities);
  const arbs: CommandArb[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const kind of KINDS) {
    if (kind.needs && !declared.has(kind.needs)) skipped.push({ name: kind.name, reason: `capability "${kind.needs}" is not declared` });
    else for (let i = 0; i < (kind.weight ?? 1); i++) arbs.push(kind.arb);
  }
  // Revert needs a snapshot to revert to; without `snapshots` it can never be set up.
  if (declared.has('revertToSnapshot') && !declared.has('snapshots')) {
    const revert = KINDS.find((k) => k.name === 'revertToSnapshot')!.arb;
    arbs.splice(arbs.indexOf(revert), 1);
    skipped.push({ name: 'revertToSnapshot', reason: 'declared, but without "snapshots" the model cannot create a snapshot to revert to' });
  }
  return { arbs, skipped };
}
