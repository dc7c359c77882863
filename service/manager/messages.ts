import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { newId, now } from '../util.js';

/** The user-visible events, with Cinder-style ids (`<RESOURCE>_<ACTION>_<DETAIL>`). */
export const MESSAGE_EVENTS = {
  CREATE_VOLUME_NO_BACKEND: { eventId: 'VOLUME_VOLUME_001_002', text: 'schedule allocate volume: Could not find any available weighted backend.' },
  CREATE_VOLUME_FAILED: { eventId: 'VOLUME_VOLUME_002_003', text: 'create volume: The driver failed to create the volume.' },
  CREATE_VOLUME_INTERRUPTED: { eventId: 'VOLUME_VOLUME_002_010', text: 'create volume: The service restarted while the volume was being created.' },
  DELETE_VOLUME_FAILED: { eventId: 'VOLUME_VOLUME_003_003', text: 'delete volume: The driver failed to delete the volume.' },
  EXTEND_VOLUME_FAILED: { eventId: 'VOLUME_VOLUME_005_003', text: 'extend volume: The driver failed to extend the volume.' },
  REVERT_VOLUME_FAILED: { eventId: 'VOLUME_VOLUME_009_003', text: 'revert to snapshot: The driver failed to revert the volume.' },
  CREATE_SNAPSHOT_FAILED: { eventId: 'VOLUME_SNAPSHOT_001_003', text: 'create snapshot: The driver failed to create the snapshot.' },
  DELETE_SNAPSHOT_FAILED: { eventId: 'VOLUME_SNAPSHOT_003_003', text: 'delete snapshot: The driver failed to delete the snapshot.' },
  BACKEND_GONE: { eventId: 'VOLUME_VOLUME_001_009', text: 'volume service: The backend that held the operation is no longer configured.' },
} as const;

/** An event name. */
export type MessageEvent = keyof typeof MESSAGE_EVENTS;

/** Records user messages (GET /messages, 3.3) about failed asynchronous work. */
export class MessageRecorder {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlS: number,
  ) {}

  /** Records one message; `detail` (an error code) is appended so users can act on it. */
  async record(m: { projectId: string; requestId: string; resourceType: 'VOLUME' | 'SNAPSHOT'; resourceId: string; event: MessageEvent; detail?: string }): Promise<void> {
    const ev = MESSAGE_EVENTS[m.event];
    const created = now();
    await this.db
      .insertInto('messages')
      .values({
        id: newId(),
        project_id: m.projectId,
        request_id: m.requestId,
        resource_type: m.resourceType,
        resource_uuid: m.resourceId,
        event_id: ev.eventId,
        message_level: 'ERROR',
        user_message: m.detail ? `${ev.text} (${m.detail})` : ev.text,
        created_at: created,
        expires_at: new Date(Date.now() + this.ttlS * 1000).toISOString().replace('Z', '000'),
      })
      .execute();
  }
}
