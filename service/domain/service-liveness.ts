import type { ServicesTable } from '../db/tables.js';

/** Seconds without a heartbeat after which a service counts as down (Cinder's service_down_time). */
export const SERVICE_DOWN_TIME_S = 60;

/** True while the service's last heartbeat is recent enough. */
export function isServiceUp(s: Pick<ServicesTable, 'updated_at'>, nowMs = Date.now()): boolean {
  return nowMs - Date.parse(`${s.updated_at.slice(0, 23)}Z`) < SERVICE_DOWN_TIME_S * 1000;
}
