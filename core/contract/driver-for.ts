import type { CapabilityInterfaces } from './capability-map.js';
import type { Capability } from './types.js';
import type { VolumeDriver } from './volume-driver.js';

// Turns a union of interfaces into their intersection, so every declared capability's
// methods are required together.
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/**
 * The driver type a manifest demands: the required interface plus the interface of every
 * capability the manifest declares. Declaring `snapshots` without implementing
 * `createSnapshot` is a compile error.
 *
 * @typeParam C - The declared capabilities, inferred from the manifest literal.
 */
export type DriverWith<C extends Capability> = VolumeDriver &
  ([C] extends [never] ? unknown : UnionToIntersection<CapabilityInterfaces[C]>);

/** A driver instance with every optional method possibly present: what the runtime sees. */
export type AnyDriver = VolumeDriver & Partial<UnionToIntersection<CapabilityInterfaces[Capability]>>;
