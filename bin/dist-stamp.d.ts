/** Types of bin/dist-stamp.js, the freshness stamp of the precompiled dist/ tree. */

/** The source trees transpiled into dist/, mirrored 1:1. */
export declare const SOURCE_DIRS: readonly string[];
/** The build script: changing how dist/ is made makes it stale too. */
export declare const BUILD_SCRIPT: string;
/** Where the build writes the stamp, relative to the package root. */
/** Dependencies bundled into dist/vendor/; their installed versions are part of the stamp. */
export declare const VENDORED_PACKAGES: readonly string[];
export declare const STAMP_FILE: string;
/** Whether a file name is a TypeScript source the build transpiles. */
export declare function isSource(name: string): boolean;
/** Every source file the build transpiles, relative to `root`, sorted. */
export declare function sourceFiles(root: string): string[];
/** The stamp text of the sources as they are now on disk. */
export declare function sourceStamp(root: string): string;
/** True when dist/ exists and was built from exactly the sources now on disk. */
export declare function distIsFresh(root: string): boolean;
