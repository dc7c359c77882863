/** The capability catalog and extra-spec checks built on it. */
export * from './catalog.js';
export * from './extra-specs.js';
