/** Which lint configuration file `s1ql check` uses (loading it is check-files.ts's `loadLintConfig`). */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { UsageError } from './exit-codes.ts';
import { CONFIG_NAMES } from './io.ts';

/** `--config`, else s1ql.config.json or .yaml in `cwd`, else none; absolute. */
export function findLintConfig(explicit: string | undefined, cwd: string): string | undefined {
  if (explicit !== undefined) {
    const path = isAbsolute(explicit) ? explicit : join(cwd, explicit);
    if (!existsSync(path)) throw new UsageError(`cannot read config ${explicit}: no such file`);
    return path;
  }
  return CONFIG_NAMES.map((name) => join(cwd, name)).find((p) => existsSync(p));
}
