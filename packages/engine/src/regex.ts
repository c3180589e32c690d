/**
 * S1QL `RegExp` patterns as JavaScript regular expressions. A pattern is either translated faithfully or
 * refused with a reason; nothing is approximated (design/S1QL.md, "RegExp").
 *
 * Accepted: a leading `(?i)` (case-insensitive flag), and the syntax JavaScript (without the `u` flag) and
 * PCRE/RE2 read the same way: literals, `.`, `^`, `$`, classes, groups `( )`, `(?: )`, lookahead `(?= )` `(?! )`,
 * lookbehind `(?<= )` `(?<! )`, named groups `(?<name> )` with `\k<name>`, quantifiers `* + ? {n} {n,} {n,m}` and
 * their lazy forms, alternation, backreferences `\1`..`\n` to groups closed before them, and the escapes `\d \D \w \W \s
 * \S \b \B \n \r \t \v \f \0 \cX \xHH \uHHHH` and a backslash before any non-alphanumeric character.
 *
 * Refused (`E601`), each because JavaScript would silently read it differently or reject it:
 * - possessive quantifiers (`a*+`, `a++`, `a?+`, `a{2}+`) and atomic groups `(?>...)`;
 * - inline flags anywhere but a leading `(?i)`: `(?s)`, `(?m)`, `(?x)`, `(?-i)`, `(?i:...)`, a later `(?i)`;
 * - other `(?` constructs: comments `(?#...)`, Python named groups `(?P<name>...)`, conditionals, recursion;
 * - letter escapes JavaScript does not give the PCRE meaning: `\A \Z \z \G \Q \E \K \R \X \h \H \p{..} \P{..}`
 *   and every other letter not listed above (JavaScript would match the bare letter), `\x`/`\u`/`\c` without
 *   their digits or letter, `\u{...}`, `\k` before its named group closed;
 * - octal escapes (`\01`), backreferences to groups not closed before them (JavaScript matches the empty
 *   string there, PCRE fails), digit escapes and `\B` inside a class;
 * - POSIX classes `[[:alpha:]]` (and `[[=a=]]`, `[[.a.]]`), a class starting with `]` (`[]a]`, `[^]...`),
 *   `{,n}` (a literal in JavaScript, a quantifier in PCRE2);
 * - a trailing backslash and anything else `new RegExp` rejects.
 */

export type RegexTranslation =
  | { readonly ok: true; readonly regexp: RegExp }
  | { readonly ok: false; readonly reason: string };

const knownLetterEscapes = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 'n', 'r', 't', 'v', 'f']);
const hex = /^[0-9A-Fa-f]$/;
const named = /^\(\?<([A-Za-z_$][\w$]*)>/;
const braceQuantifier = /^\{\d+(?:,\d*)?\}/;
const posixClass = /^\[([:=.])[^\]]*\1\]/;

export function translateRegex(pattern: string): RegexTranslation {
  let body = pattern;
  let flags = '';
  if (body.startsWith('(?i)')) {
    body = body.slice(4);
    flags = 'i';
  }
  const reason = unsupported(body);
  if (reason !== undefined) return { ok: false, reason };
  try {
    return { ok: true, regexp: new RegExp(body, flags) };
  } catch (error) {
    return { ok: false, reason: `it is not a valid regular expression (${(error as Error).message})` };
  }
}

/** Capture groups as the scan meets them: a backreference is only faithful to a group already closed. */
interface Groups {
  opened: number;
  /** For each open group, its number, or 0 for a non-capturing one. */
  readonly stack: number[];
  readonly closed: Set<number>;
  readonly names: Map<string, number>;
}

function unsupported(body: string): string | undefined {
  const groups: Groups = { opened: 0, stack: [], closed: new Set(), names: new Map() };
  let inClass = false;
  let i = 0;
  while (i < body.length) {
    const c = body[i] as string;
    if (c === '\\') {
      const next = body[i + 1];
      if (next === undefined) return 'it ends with a backslash';
      const after = checkEscape(body, i, inClass, groups);
      if (typeof after === 'string') return after;
      i = after;
      continue;
    }
    if (inClass) {
      if (c === '[' && posixClass.test(body.slice(i))) {
        return `POSIX class ${posixClass.exec(body.slice(i))?.[0]} is not supported in JavaScript`;
      }
      if (c === ']') inClass = false;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      i++;
      if (body[i] === '^') i++;
      if (body[i] === ']') return 'a class starting with `]` means different things in JavaScript and PCRE';
      continue;
    }
    if (c === ')') {
      const n = groups.stack.pop();
      if (n) groups.closed.add(n);
      i++;
      continue;
    }
    if (c === '(' && body[i + 1] !== '?') {
      groups.stack.push(++groups.opened);
      i++;
      continue;
    }
    if (c === '(') {
      const rest = body.slice(i + 2);
      if (rest.startsWith(':') || rest.startsWith('=') || rest.startsWith('!')) {
        groups.stack.push(0);
        i += 3;
      } else if (rest.startsWith('<=') || rest.startsWith('<!')) {
        groups.stack.push(0);
        i += 4;
      } else {
        const name = named.exec(body.slice(i));
        if (name) {
          const n = ++groups.opened;
          groups.stack.push(n);
          groups.names.set(name[1] as string, n);
          i += name[0].length;
        } else if (rest.startsWith('>')) return 'atomic groups `(?>...)` are not supported';
        else if (/^[a-zA-Z-]/.test(rest)) return 'inline flags are supported only as a leading `(?i)`';
        else return `the group \`(?${rest.slice(0, 2)}\` is not supported`;
      }
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      if (body[i + 1] === '+') return `possessive quantifier \`${c}+\` is not supported`;
      i++;
      continue;
    }
    if (c === '{') {
      const quantifier = braceQuantifier.exec(body.slice(i));
      if (quantifier) {
        i += quantifier[0].length;
        if (body[i] === '+') return `possessive quantifier \`${quantifier[0]}+\` is not supported`;
        continue;
      }
      if (/^\{,\d+\}/.test(body.slice(i))) return '`{,n}` is a literal in JavaScript but a quantifier in PCRE2';
    }
    i++;
  }
  return undefined;
}

/** The index after a supported escape at `i`, or the reason it is refused. */
function checkEscape(body: string, i: number, inClass: boolean, groups: Groups): number | string {
  const d = body[i + 1] as string;
  if (/[A-Za-z]/.test(d)) {
    if (knownLetterEscapes.has(d)) {
      if (inClass && d === 'B') return '`\\B` inside a class is not supported';
      return i + 2;
    }
    if (d === 'c') {
      return /[A-Za-z]/.test(body[i + 2] ?? '') ? i + 3 : '`\\c` must be followed by a letter';
    }
    if (d === 'x') {
      return hex.test(body[i + 2] ?? '') && hex.test(body[i + 3] ?? '')
        ? i + 4
        : '`\\x` must be followed by two hex digits';
    }
    if (d === 'u') {
      for (let k = 2; k < 6; k++) {
        if (!hex.test(body[i + k] ?? ''))
          return '`\\u` must be followed by four hex digits (`\\u{...}` is not supported)';
      }
      return i + 6;
    }
    if (d === 'k') {
      const ref = /^\\k<([A-Za-z_$][\w$]*)>/.exec(body.slice(i));
      const n = ref ? groups.names.get(ref[1] as string) : undefined;
      if (!inClass && ref && n !== undefined && groups.closed.has(n)) return i + ref[0].length;
      return '`\\k` is supported only as `\\k<name>` after the named group closed';
    }
    if (d === 'p' || d === 'P') return `Unicode property escapes \`\\${d}{...}\` are not supported`;
    return `the escape \`\\${d}\` has no faithful JavaScript equivalent`;
  }
  if (/[0-9]/.test(d)) {
    const digits = /^\d+/.exec(body.slice(i + 1))?.[0] ?? d;
    if (d === '0') {
      return digits.length > 1 ? 'octal escapes are not supported' : i + 2;
    }
    if (inClass) return `\`\\${digits}\` inside a class is not supported`;
    if (!groups.closed.has(Number(digits))) {
      return `\`\\${digits}\` does not refer to an earlier, closed group (JavaScript and PCRE differ there)`;
    }
    return i + 1 + digits.length;
  }
  return i + 2;
}
