/**
 * The API reference page: Redoc's standalone bundle (a maintained OpenAPI renderer, shipped
 * in its npm package and copied into the site, so nothing loads from a CDN) rendering the
 * presentation document inside the site's frame.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { OpenApiDocument } from '../../openapi/build.js';
import { presentationDocument } from './api-presentation.js';
import { framePage, type NavEntry } from './layout.js';

/** Where the API reference lives in the site. */
export const API_PAGE = 'api-reference.html';

// The bundle's sidebar credit loads its logo from a CDN, the one request that would leave
// the machine (and log an error offline). The credit stays; the logo becomes an inline blank.
const CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const BLANK_LOGO = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";

/**
 * Redoc's standalone bundle with every remote resource made local.
 *
 * @throws Error when the bundle no longer holds the URL this patch replaces (a Redoc
 *   upgrade): check the new bundle for remote loads and update the patch.
 */
export async function offlineRedocBundle(): Promise<string> {
  const require = createRequire(import.meta.url);
  const bundle = await readFile(require.resolve('redoc/bundles/redoc.standalone.js'), 'utf8');
  if (!bundle.includes(CDN_LOGO)) throw new Error(`redoc.standalone.js no longer references ${CDN_LOGO}: review the bundle for remote loads`);
  return bundle.replaceAll(CDN_LOGO, BLANK_LOGO);
}

/** Files of the API reference by path from the site root. */
export async function apiReferenceFiles(doc: OpenApiDocument, nav: readonly NavEntry[]): Promise<Map<string, string | Buffer>> {
  const bundle = await offlineRedocBundle();
  const spec = presentationDocument(doc);
  const body = `<noscript>The interactive reference needs JavaScript; the document itself is <a href="api/openapi.yaml">api/openapi.yaml</a>.</noscript>\n<div id="redoc"></div>`;
  return new Map<string, string | Buffer>([
    ['assets/redoc.standalone.js', bundle],
    ['assets/api-spec.js', `window.ASHLAR_OPENAPI = ${JSON.stringify(spec)};\n`],
    [API_PAGE, framePage({ path: API_PAGE, title: 'API reference', body, nav, kind: 'api', scripts: ['assets/redoc.standalone.js', 'assets/api-spec.js', 'assets/api-init.js'] })],
  ]);
}
