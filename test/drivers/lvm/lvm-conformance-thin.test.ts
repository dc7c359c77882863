import { describeLvmConformance } from './lvm-conformance-run.js';

// Its own file so that npm test runs it beside the other lvm suites (scripts/run-tests.ts).
describeLvmConformance('thin');
