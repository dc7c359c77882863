import type { ChildProcess } from 'node:child_process';

/**
 * Resolves with the URL from the `{"ready": {...}}` line `ashlar serve` prints on stdout
 * once it listens; rejects if the process exits first. The child must have a piped stdout.
 *
 * @param describeExit - Extra context for the rejection (e.g. the captured stderr).
 */
export function serveReadyUrl(child: ChildProcess, describeExit: () => string = () => ''): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
      if (line) resolve((JSON.parse(line) as { ready: { url: string } }).ready.url);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}${describeExit()}`)));
  });
}
