import type { Session } from '../session.js';

/** The "real system" side of a model run: the driver session (its instance changes on restart). */
export interface LifecycleReal {
  readonly session: Session;
}
