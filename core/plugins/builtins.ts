/**
 * Built-in drivers, loaded through the same public plugin API as a vendor's: each entry
 * is just a module specifier relative to this file.
 */
export const BUILTIN_DRIVERS: Readonly<Record<string, string>> = {
  file: '../../drivers/file/index.js',
  lvm: '../../drivers/lvm/index.js',
  rbd: '../../drivers/rbd/index.js',
  ontap: '../../drivers/ontap/index.js',
};
