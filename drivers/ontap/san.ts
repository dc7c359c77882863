import type { ConnectorProperties, IscsiConnectionInfo } from '../../core/contract/types.js';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import { ISCSI_NAME } from '../../core/connectors/iscsi-initiator.js';
import { chapCredentials, ensureChap } from './chap.js';
import { isMissing, isOntap, mapOntapError, ONTAP } from './errors.js';
import { igroupName } from './names.js';
import type { LunInfo, SvmView } from './svm-view.js';

interface IgroupRecord {
  readonly uuid: string;
  readonly name: string;
}

/** The initiator of a connector, checked (it reaches an igroup and a query). */
export function initiatorOf(connector: ConnectorProperties): string {
  const iqn = connector.initiator;
  if (typeof iqn !== 'string' || !ISCSI_NAME.test(iqn)) {
    throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `connector.initiator must be an iSCSI initiator name (iqn.YYYY-MM.domain[:x] or eui.X), got ${JSON.stringify(iqn)}` } });
  }
  return iqn.toLowerCase();
}

/**
 * The igroup for one host: found by name (deterministic per host and initiator), created when
 * missing. Two instances creating it at once: one wins, the other finds it.
 */
async function ensureIgroup(view: SvmView, host: string, initiator: string, osType: string, signal: AbortSignal): Promise<IgroupRecord> {
  const name = igroupName(host, initiator);
  const find = async (): Promise<IgroupRecord | undefined> => (await view.client.list<IgroupRecord>('/api/protocols/san/igroups', { 'svm.name': view.svm, name, fields: 'uuid,name' }, signal))[0];
  const existing = await find();
  if (existing !== undefined) return existing;
  try {
    await view.client.send('POST', '/api/protocols/san/igroups', {}, { svm: { name: view.svm }, name, protocol: 'iscsi', os_type: osType, initiators: [{ name: initiator }] }, signal);
  } catch (err) {
    if (!isOntap(err, ONTAP.igroupExists)) throw err;
  }
  const created = await find();
  if (created === undefined) throw new AshlarError('BACKEND_ERROR', { details: { reason: `igroup ${name} vanished right after it was created` } });
  return created;
}

/** Maps the LUN to the initiator's igroup (or finds the existing map) and returns the LUN number. */
async function ensureMap(view: SvmView, lun: LunInfo, igroup: IgroupRecord, signal: AbortSignal): Promise<number> {
  const find = async (): Promise<number | undefined> =>
    (await view.client.list<{ logical_unit_number: number }>('/api/protocols/san/lun-maps', { 'lun.uuid': lun.uuid, 'igroup.uuid': igroup.uuid, fields: 'logical_unit_number' }, signal))[0]?.logical_unit_number;
  const existing = await find();
  if (existing !== undefined) return existing;
  try {
    const answer = await view.client.send('POST', '/api/protocols/san/lun-maps', { return_records: true }, { lun: { uuid: lun.uuid }, igroup: { uuid: igroup.uuid } }, signal);
    const number = (answer.records as { logical_unit_number?: number }[] | undefined)?.[0]?.logical_unit_number;
    if (number !== undefined) return number;
  } catch (err) {
    if (!isOntap(err, ONTAP.lunMapExists)) throw err;
  }
  const found = await find();
  if (found === undefined) throw new AshlarError('BACKEND_ERROR', { details: { reason: `LUN map of ${lun.path} to ${igroup.name} not found after mapping` } });
  return found;
}

/** How LUNs are exported: the igroups' os_type, and the key CHAP passwords derive from (none: no CHAP). */
export interface ExportOptions {
  readonly osType: string;
  readonly chapSecret: string | undefined;
}

/** Exports a LUN to a host: CHAP for its initiator when configured, its igroup, the map, and the connection info. */
export async function exportLun(view: SvmView, lun: LunInfo, volumeId: string, connector: ConnectorProperties, options: ExportOptions, signal: AbortSignal): Promise<IscsiConnectionInfo> {
  const initiator = initiatorOf(connector);
  try {
    const target = await view.target(signal);
    const chap = options.chapSecret === undefined ? undefined : chapCredentials(options.chapSecret, initiator);
    if (chap !== undefined) await ensureChap(view, target.svmUuid, initiator, chap, signal);
    const igroup = await ensureIgroup(view, connector.host, initiator, options.osType, signal);
    const number = await ensureMap(view, lun, igroup, signal);
    return {
      driver_volume_type: 'iscsi',
      data: {
        target_discovered: false,
        target_portal: target.portals[0]!,
        target_iqn: target.iqn,
        target_lun: number,
        target_portals: [...target.portals],
        target_iqns: target.portals.map(() => target.iqn),
        target_luns: target.portals.map(() => number),
        volume_id: volumeId,
        access_mode: 'rw',
        ...(chap !== undefined ? { auth_method: 'CHAP', auth_username: chap.user, auth_password: chap.password } : {}),
      },
    };
  } catch (err) {
    throw mapOntapError(err, `exporting ${lun.path}`, () => new AshlarError('VOLUME_NOT_FOUND', { details: { id: volumeId } }));
  }
}

/** Removes the LUN's maps: to this initiator's igroup, or to every igroup when no connector is given. */
export async function unexportLun(view: SvmView, lun: LunInfo, connector: ConnectorProperties | undefined, signal: AbortSignal): Promise<void> {
  const query = { 'lun.uuid': lun.uuid, fields: 'igroup.uuid,igroup.name' } as Record<string, string>;
  if (connector !== undefined) query['igroup.name'] = igroupName(connector.host, initiatorOf(connector));
  try {
    const maps = await view.client.list<{ igroup: { uuid: string } }>('/api/protocols/san/lun-maps', query, signal);
    for (const m of maps) {
      await view.client.send('DELETE', `/api/protocols/san/lun-maps/${lun.uuid}/${m.igroup.uuid}`, {}, undefined, signal).catch((err: unknown) => {
        if (!isMissing(err)) throw err;
      });
    }
  } catch (err) {
    if (isMissing(err)) return;
    throw mapOntapError(err, `unmapping ${lun.path}`);
  }
}
