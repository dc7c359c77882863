/** The attachment state machine (Cinder's attachments API, 3.27+). */
import { defineMachine } from '../state-machine.js';

/** An attachment's status. */
export type AttachmentStatus = 'reserved' | 'attaching' | 'attached';

/** The attachment machine. Detaching removes the row. */
export const ATTACHMENT_STATES = defineMachine<AttachmentStatus>({
  resource: 'attachment',
  table: 'attachments',
  statuses: ['reserved', 'attaching', 'attached'],
  transitions: {
    // A connector given (again) re-exports the volume: the attachment is attaching.
    reserved: ['attaching', 'attached'],
    attaching: ['attaching', 'attached'],
    attached: ['attaching', 'attached'],
  },
  transitional: [],
});
