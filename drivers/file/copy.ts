import { constants } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { Executor } from '../../core/executor/executor.js';

/** Errors meaning "this filesystem cannot reflink", as opposed to a real failure. */
const NO_REFLINK = new Set(['ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EINVAL', 'ENOSYS', 'ENOTTY']);

/** How a copy was made, reported for tests and logs. */
export type CopyMethod = 'reflink' | 'sparse-copy';

/**
 * Copies a volume image: a reflink (instant, shares blocks copy-on-write) when allowed and
 * possible, otherwise `cp --sparse=always`, which skips holes so a mostly empty volume
 * copies in milliseconds.
 */
export class ImageCopier {
  readonly #mode: 'auto' | 'always' | 'never';
  readonly #executor: Executor;
  #reflinkWorks: boolean | undefined;

  constructor(mode: 'auto' | 'always' | 'never', executor: Executor) {
    this.#mode = mode;
    this.#executor = executor;
    if (mode === 'never') this.#reflinkWorks = false;
  }

  /** What the last copies used; undefined before the first. */
  get method(): CopyMethod | undefined {
    return this.#reflinkWorks === undefined ? undefined : this.#reflinkWorks ? 'reflink' : 'sparse-copy';
  }

  async copy(source: string, target: string, signal: AbortSignal): Promise<CopyMethod> {
    if (this.#reflinkWorks !== false) {
      try {
        await copyFile(source, target, constants.COPYFILE_FICLONE_FORCE | constants.COPYFILE_EXCL);
        this.#reflinkWorks = true;
        return 'reflink';
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        if (!NO_REFLINK.has(code)) throw err;
        if (this.#mode === 'always') {
          throw new AshlarError('BACKEND_ERROR', { details: { reason: `reflink=always but the filesystem cannot reflink (${code})` } });
        }
        this.#reflinkWorks = false;
      }
    }
    await this.#executor.runOrThrow(['cp', '--sparse=always', '--no-preserve=all', '--', source, target], { signal });
    return 'sparse-copy';
  }
}
