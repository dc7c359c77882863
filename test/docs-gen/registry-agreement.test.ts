import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, ERROR_REGISTRY } from '../../core/errors/registry.js';
import { builtDocs } from './site.js';

const repoDocs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs');

/** Rows of the error table in errors.md: code, status, fault, message. */
function errorTable(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((l) => l.startsWith('| [`'))
    .map((l) => {
      const cells = l.split(/(?<!\\) \| /).map((c) => c.replace(/^\| |\s\|$/g, '').trim());
      return [/`([A-Z_0-9]+)`/.exec(cells[0] ?? '')![1]!, cells[1]!, cells[2]!.replace(/`/g, ''), cells[3]!.replace(/^`|`$/g, '').replace(/\\\|/g, '|')];
    });
}

describe('error registry, docs and OpenAPI document agree', () => {
  const expected = ERROR_CODES.map((c) => [c, String(ERROR_REGISTRY[c].status), ERROR_REGISTRY[c].fault, ERROR_REGISTRY[c].message]);

  it('the generated and the committed error tables list exactly the registry', async () => {
    const { files } = await builtDocs();
    expect(errorTable(files.get('errors.md')!)).to.deep.equal(expected);
    expect(errorTable(await readFile(path.join(repoDocs, 'errors.md'), 'utf8'))).to.deep.equal(expected);
  });

  it('the OpenAPI document has one response per registry code, with its status and fault', async () => {
    const { openapi } = await builtDocs();
    expect(openapi['x-ashlar-error-codes']).to.deep.equal([...ERROR_CODES].sort());
    const responses = openapi.components.responses as Record<string, { 'x-ashlar-error': unknown }>;
    expect(Object.keys(responses).sort()).to.deep.equal([...ERROR_CODES].sort());
    for (const c of ERROR_CODES) {
      const def = ERROR_REGISTRY[c];
      expect(responses[c]!['x-ashlar-error']).to.deep.equal({ code: c, status: def.status, fault: def.fault, message: def.message });
    }
  });

  it('every error response of every operation lists registry codes answered with that status', async () => {
    const { openapi } = await builtDocs();
    let seen = 0;
    for (const item of Object.values(openapi.paths)) {
      for (const op of Object.values(item)) {
        for (const [status, response] of Object.entries(op.responses)) {
          for (const c of (response['x-ashlar-error-codes'] ?? []) as string[]) {
            seen++;
            expect(ERROR_REGISTRY, c).to.have.property(c);
            expect(String(ERROR_REGISTRY[c as keyof typeof ERROR_REGISTRY].status), `${op.operationId} ${c}`).to.equal(status);
          }
        }
      }
    }
    expect(seen).to.be.greaterThan(0);
  });

  it('every error code the driver guide and API reference link to is in the registry', async () => {
    const { files } = await builtDocs();
    for (const page of ['driver-guide.md', 'api-reference.md']) {
      const linked = [...files.get(page)!.matchAll(/\(errors\.md#([a-z_0-9]+)\)/g)].map((m) => m[1]!.toUpperCase());
      expect(linked.length, page).to.be.greaterThan(0);
      for (const c of linked) expect(ERROR_CODES, `${page} links ${c}`).to.include(c);
    }
  });
});
