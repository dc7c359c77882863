import { ontapManifest } from './manifest.js';

/**
 * The REST role privileges the manifest's `backendPermissions` state (`<path> <access>`),
 * in the shape ONTAP's `/api/security/roles` takes: what an operator grants the driver's
 * account, and what the tests grant and nothing more.
 */
export function rolePrivileges(): { path: string; access: 'all' | 'readonly' }[] {
  return (ontapManifest.backendPermissions ?? [])
    .filter((p) => p.system === 'ontap')
    .map((p) => {
      const [path, access] = p.grant.split(' ');
      if (path === undefined || (access !== 'all' && access !== 'readonly')) throw new Error(`malformed ontap grant "${p.grant}"`);
      return { path, access };
    });
}
