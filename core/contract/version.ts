/**
 * The version of the driver contract this core implements. Plugins declare a semver
 * range (`manifest.contract`) that must include it.
 *
 * @since 0.1.0
 */
export const CONTRACT_VERSION = '1.0.0';
