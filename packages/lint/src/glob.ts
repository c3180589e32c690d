/** A small glob matcher (`**`, `*`, `?`, `{a,b}`), browser-safe; paths use forward slashes. */
const cache = new Map<string, RegExp>();

function escapeChar(c: string): string {
  return /[\\^$.|?*+()[\]{}]/.test(c) ? `\\${c}` : c;
}

export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let re = '';
  let inBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more whole directories; a trailing `**` matches everything below.
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:[^/]*(?:/|$))*' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      inBraces++;
      re += '(?:';
    } else if (c === '}' && inBraces > 0) {
      inBraces--;
      re += ')';
    } else if (c === ',' && inBraces > 0) re += '|';
    else re += escapeChar(c);
  }
  const out = new RegExp(`^${re}$`);
  cache.set(glob, out);
  return out;
}

/** Matches a relative path against a glob; `./` prefixes and backslashes are normalised first. */
export function matchGlob(path: string, glob: string): boolean {
  const norm = (s: string) => s.replace(/\\/g, '/').replace(/^\.\//, '');
  return globToRegExp(norm(glob)).test(norm(path));
}
