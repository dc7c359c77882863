import { AshlarError } from '../../core/errors/ashlar-error.js';

/** One LV as an `lvs` report describes it (sizes in bytes). */
export interface LvInfo {
  readonly name: string;
  readonly sizeBytes: number;
  /** lvm2's 10-character attribute string, e.g. `owi-a-s---`. */
  readonly attr: string;
  /** The origin of a snapshot (CoW or thin), else "". */
  readonly origin: string;
  /** For a CoW snapshot: the size of the volume it shows (its origin's size when taken). */
  readonly originSizeBytes: number | undefined;
  /** The thin pool of a thin LV, else "". */
  readonly pool: string;
  /** Data use of a thin pool or thin LV, in percent. */
  readonly dataPercent: number | undefined;
  /**
   * What the LV is, from the first lv_attr character (a segment field such as `segtype`
   * would give one report row per segment of an extended LV).
   */
  readonly kind: LvKind;
  readonly active: boolean;
  /** Some process has the device open (mounted, attached, being copied). */
  readonly open: boolean;
}

/** LV kinds the driver tells apart. */
export type LvKind = 'thin-pool' | 'thin' | 'cow-snapshot' | 'plain' | 'other';

/** Reads the LV kind off lv_attr's first character (lvm2 lvs(8): volume type). */
export function kindOf(attr: string): LvKind {
  switch (attr[0]) {
    case 't':
      return 'thin-pool';
    case 'V':
      return 'thin';
    case 's':
    case 'S':
      return 'cow-snapshot';
    case '-':
    case 'o':
    case 'O':
    case 'm':
    case 'M':
    case 'r':
    case 'R':
      return 'plain';
    default:
      return 'other';
  }
}

/** Volume group totals, in bytes. */
export interface VgInfo {
  readonly sizeBytes: number;
  readonly freeBytes: number;
}

/** The `-o` fields every LV query asks for; `vg_size,vg_free` ride along on every row. */
export const LV_FIELDS = 'lv_name,lv_size,lv_attr,origin,origin_size,pool_lv,data_percent,lv_active,lv_device_open,vg_size,vg_free';
/** The `-o` fields of a VG query. */
export const VG_FIELDS = 'vg_name,vg_size,vg_free';

/** True for a classic copy-on-write snapshot LV. */
export const isCowSnapshot = (lv: LvInfo): boolean => lv.kind === 'cow-snapshot';

type Row = Record<string, string | undefined>;

function rowsOf(json: string, key: 'lv' | 'vg'): Row[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new AshlarError('BACKEND_ERROR', { details: { reason: `unreadable lvm2 JSON report: ${(err as Error).message}` }, cause: err });
  }
  const report = (parsed as { report?: { [k: string]: Row[] | undefined }[] }).report;
  if (!Array.isArray(report)) throw new AshlarError('BACKEND_ERROR', { details: { reason: 'lvm2 JSON report without "report"' } });
  return report.flatMap((r) => r[key] ?? []);
}

function bytes(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Parses `lvs --reportformat json --units b --nosuffix -o LV_FIELDS`. */
export function parseLvReport(json: string): { lvs: LvInfo[]; vg: VgInfo | undefined } {
  const rows = rowsOf(json, 'lv');
  const lvs = rows.map(
    (r): LvInfo => ({
      name: r.lv_name ?? '',
      sizeBytes: bytes(r.lv_size) ?? 0,
      attr: r.lv_attr ?? '',
      origin: r.origin ?? '',
      originSizeBytes: bytes(r.origin_size),
      pool: r.pool_lv ?? '',
      dataPercent: bytes(r.data_percent),
      kind: kindOf(r.lv_attr ?? ''),
      active: r.lv_active === 'active',
      open: r.lv_device_open === 'open',
    }),
  );
  const first = rows[0];
  const size = bytes(first?.vg_size);
  const free = bytes(first?.vg_free);
  return { lvs, vg: size === undefined || free === undefined ? undefined : { sizeBytes: size, freeBytes: free } };
}

/** Parses `vgs --reportformat json --units b --nosuffix -o VG_FIELDS <vg>`. */
export function parseVgReport(json: string): VgInfo | undefined {
  const row = rowsOf(json, 'vg')[0];
  const size = bytes(row?.vg_size);
  const free = bytes(row?.vg_free);
  return size === undefined || free === undefined ? undefined : { sizeBytes: size, freeBytes: free };
}
