/**
 * The SDK reference: typedoc's own HTML output for the public API (core/index.ts, the
 * "ashlar" package entry), written under sdk/ with the site's navigation in typedoc's
 * header, and the list of its pages for the site search.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Application, Comment, Reflection, ReflectionKind, RendererEvent } from 'typedoc';
import { PACKAGE_ROOT } from '../../core/util/package-root.js';
import type { NavEntry } from './layout.js';
import { rootPrefix } from './layout.js';

/** Where the SDK reference lives in the site. */
export const SDK_DIR = 'sdk';

/** One symbol of the SDK for the search index. */
export interface SdkSymbol {
  readonly title: string;
  readonly kind: string;
  /** From the site root. */
  readonly url: string;
  readonly text: string;
}

// typedoc writes navigation links verbatim; pages sit at several depths, so each link
// starts with this marker and is made relative to its page once the files are written.
const ROOT_MARKER = '__ashlar_site_root__/';

async function htmlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await htmlFiles(full)));
    else if (e.name.endsWith('.html')) out.push(full);
  }
  return out;
}

function symbolOf(refl: Reflection, url: string): SdkSymbol {
  const comment = refl.comment ?? (refl as { signatures?: { comment?: Comment }[] }).signatures?.[0]?.comment;
  return {
    title: refl.getFriendlyFullName(),
    kind: ReflectionKind[refl.kind] ?? 'Symbol',
    url: `${SDK_DIR}/${url}`,
    text: Comment.combineDisplayParts(comment?.summary).slice(0, 400),
  };
}

/**
 * Renders the SDK reference into `<siteDir>/sdk/`.
 *
 * @returns every documented symbol with its page
 * @throws Error when typedoc cannot read the sources
 */
export async function writeSdkReference(siteDir: string, nav: readonly NavEntry[]): Promise<SdkSymbol[]> {
  const config = JSON.parse(await readFile(path.join(PACKAGE_ROOT, 'typedoc.json'), 'utf8')) as { blockTags: `@${string}`[] };
  const app = await Application.bootstrap({
    name: 'Ashlar SDK',
    entryPoints: [path.join(PACKAGE_ROOT, 'core/index.ts')],
    tsconfig: path.join(PACKAGE_ROOT, 'tsconfig.json'),
    blockTags: config.blockTags,
    excludeExternals: true,
    skipErrorChecking: true,
    readme: 'none',
    githubPages: false,
    hideGenerator: true,
    logLevel: 'Error',
    navigationLinks: Object.fromEntries(nav.map((n) => [n.title, `${ROOT_MARKER}${n.href}`])),
  });
  const symbols: SdkSymbol[] = [];
  app.renderer.on(RendererEvent.END, () => {
    const router = app.renderer.router!;
    for (const target of router.getLinkTargets()) {
      if (target instanceof Reflection && !target.isProject()) symbols.push(symbolOf(target, router.getFullUrl(target)));
    }
  });
  const project = await app.convert();
  if (!project) throw new Error('typedoc could not convert core/index.ts');
  const out = path.join(siteDir, SDK_DIR);
  await app.generateDocs(project, out);
  for (const file of await htmlFiles(out)) {
    const rel = path.relative(siteDir, file).split(path.sep).join('/');
    const html = await readFile(file, 'utf8');
    // Chromium refuses <use href="…/icons.svg#x"> across file:// documents; typedoc's
    // icons.js puts the same symbols into every page, so a same-document reference works
    // from file:// and from a server alike.
    await writeFile(file, html.replaceAll(ROOT_MARKER, rootPrefix(rel)).replace(/href="(?:\.\.\/)*assets\/icons\.svg#/g, 'href="#'));
  }
  return symbols.sort((a, b) => a.url.localeCompare(b.url, 'en'));
}
