/**
 * oclif's `command_not_found` hook: names the mistyped command the way it was typed (words,
 * not oclif's `driver:inspec` ids) and suggests the closest command or topic, instead of
 * oclif's bare "command driver:inspec:file not found".
 */
import type { Hook } from '@oclif/core';
import { didYouMean, editDistance } from '../../core/util/did-you-mean.js';
import { EXIT } from '../base-command.js';

/** What was typed, as words, and the command or topic it most likely meant. */
export function suggestCommand(id: string, known: readonly string[]): { typed: string; suggestion?: string } {
  const words = id.split(':');
  let best: { typed: string; suggestion: string; distance: number } | undefined;
  // "driver inspec file": the command may be any leading run of words; the rest are arguments.
  for (let k = 1; k <= words.length; k++) {
    const typed = words.slice(0, k).join(' ');
    const suggestion = didYouMean(typed, known);
    if (suggestion === undefined) continue;
    const distance = editDistance(typed, suggestion);
    // A topic typed exactly ("driver") is not the mistake; on a tie the longer reading wins.
    if (distance > 0 && (!best || distance <= best.distance)) best = { typed, suggestion, distance };
  }
  return best ? { typed: best.typed, suggestion: best.suggestion } : { typed: words.join(' ') };
}

const hook: Hook<'command_not_found'> = async function (options) {
  const commands = options.config.commandIDs.map((c) => c.replaceAll(':', ' '));
  const topics = options.config.topics.map((t) => t.name.replaceAll(':', ' '));
  const { typed, suggestion } = suggestCommand(options.id, [...new Set([...commands, ...topics])]);
  const bin = options.config.bin;
  const lines = [`Error: "${typed}" is not an ${bin} command.`];
  if (suggestion) lines.push(`  hint: did you mean "${bin} ${suggestion}"?`);
  lines.push(`  hint: "${bin} --help" lists the commands.`);
  process.stderr.write(`${lines.join('\n')}\n`);
  this.exit(EXIT.USAGE);
};

export default hook;
