/**
 * Misspelt operators (`TgtProcName StartWith "x"`, `Contians`, `ContainsAnyCase`, `Equals`). A word between a field
 * and its value is never valid S1QL 1.0 (operator words are keywords, not identifiers), so reading it as the
 * operator it is closest to changes nothing for a valid query. It is reported once (P209) with the operator as a
 * suggestion, a guess the hunter confirms, and re-typed so the rest of the query parses as meant instead of
 * cascading into "missing operator" and "missing AND" errors.
 */
import type { IToken, TokenType } from 'chevrotain';
import { operators } from './catalog.ts';
import { Codes, type Diagnostic } from './diagnostics.ts';
import type { LineIndex } from './text.ts';
import * as T from './tokens.ts';

/** Words people write for an operator that S1QL 1.0 spells differently (lower case, no spaces). */
const ALIASES: Readonly<Record<string, string>> = {
  equals: '=',
  equal: '=',
  eq: '=',
  notequals: '!=',
  ne: '!=',
  neq: '!=',
  matches: 'RegExp',
  match: 'RegExp',
  regex: 'RegExp',
  notcontains: 'Does Not Contain',
  notcontain: 'Does Not Contain',
  doesnotcontains: 'Does Not Contain',
  notcontainscis: 'Does Not ContainCIS',
  notcontainsanycase: 'Does Not ContainCIS',
  doesnotcontainsanycase: 'Does Not ContainCIS',
};

interface Candidate {
  /** The canonical spelling, as printed. */
  readonly canonical: string;
  /** Its words' token types, in order. */
  readonly words: readonly TokenType[];
}

let candidates: Map<string, Candidate> | undefined;

/** Every spelling of every operator, joined and in lower case (`containsanycase`), with what to read it as. */
function spellings(): Map<string, Candidate> {
  if (candidates) return candidates;
  const byCanonical = new Map<string, Candidate>();
  const out = new Map<string, Candidate>();
  for (const op of operators) {
    const words = (op.spellings[0] as readonly string[]).map((w) => T.wordTokens.get(w.toLowerCase()) as TokenType);
    const candidate = { canonical: op.spellings[0]?.join(' ') ?? '', words };
    byCanonical.set(candidate.canonical, candidate);
    for (const spelling of op.spellings) out.set(spelling.join('').toLowerCase(), candidate);
  }
  for (const [alias, canonical] of Object.entries(ALIASES)) {
    const candidate = byCanonical.get(canonical);
    if (candidate) out.set(alias, candidate);
  }
  candidates = out;
  return out;
}

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`, or more than `max` when larger. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // rows[i][j]: the distance between a's first i and b's first j characters (one flat array, row by row).
  const w = b.length + 1;
  const d = new Array<number>((a.length + 1) * w);
  const at = (i: number, j: number): number => d[i * w + j] as number;
  for (let i = 0; i <= a.length; i++) {
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        d[i * w + j] = i + j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * w + j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The operator `word` most likely stands for: an alias, or the one nearest spelling (ties: none). */
function nearest(word: string): Candidate | undefined {
  const all = spellings();
  const lower = word.toLowerCase();
  const exact = all.get(lower);
  if (exact) return exact;
  const max = lower.length <= 5 ? 1 : 2;
  let best: Candidate | undefined;
  let bestDistance = max + 1;
  let tie = false;
  for (const [spelling, candidate] of all) {
    const d = distance(lower, spelling, max);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && candidate !== best) tie = true;
  }
  return best && !tie ? best : undefined;
}

/** What may follow an operator: a value, a list, or (for Exists and the like) the end of the clause. */
function followsOperator(tok: IToken | undefined): boolean {
  const type = tok?.tokenType;
  return (
    type === undefined ||
    type === T.StringLiteral ||
    type === T.NumberLiteral ||
    type === T.LParen ||
    type === T.And ||
    type === T.Or ||
    type === T.RParen
  );
}

export function markMisspeltOperators(tokens: IToken[], lines: LineIndex, out: Diagnostic[]): void {
  for (let i = 1; i < tokens.length; i++) {
    const tok = tokens[i] as IToken;
    if (tok.tokenType !== T.Identifier || !T.isWord(tokens[i - 1]) || !T.startsClause(tokens[i - 2])) continue;
    if (!followsOperator(tokens[i + 1])) continue;
    const candidate = nearest(tok.image);
    if (!candidate) continue;
    const range = lines.range(tok.startOffset, tok.startOffset + tok.image.length);
    out.push({
      code: Codes.invalidOperator,
      severity: 'error',
      message: `\`${tok.image}\` is not an S1QL 1.0 operator: did you mean \`${candidate.canonical}\`?`,
      range,
      suggestions: [{ title: `Replace with ${candidate.canonical}`, edits: [{ range, newText: candidate.canonical }] }],
    });
    // Read as that operator: one token per word, each spanning the misspelt word.
    const typed = candidate.words.map(
      (type): IToken => ({ ...tok, tokenType: type, tokenTypeIdx: type.tokenTypeIdx as number }),
    );
    tokens.splice(i, 1, ...typed);
    i += typed.length - 1;
  }
}
