/**
 * A floor for the language benchmark (test/bench/language.bench.ts, which runs this in a process of its own so that
 * no other parser class makes Chevrotain's code polymorphic): the language's grammar run by Chevrotain with the tree
 * left out. Same lexer and keyword typing, every rule, lookahead and recovery as `parse` runs them, but node builders
 * that return one shared node, and none of the diagnostic passes. What is left is what Chevrotain costs to recognise
 * this grammar.
 *
 * Reads the benchmark's JSON (an array of `{ query }`) on stdin; prints `{ grammarMBs, jsonMBs }`, `jsonMBs` being
 * JSON.parse of those same bytes measured here.
 */
import { readFileSync } from 'node:fs';
import { Lexer, type TokenType } from 'chevrotain';
import type { Expr, FieldRef, OperatorNode, Predicate, Range, StringLiteral, Value } from '../src/ast.ts';
import { S1qlParser } from '../src/parser.ts';
import { LineIndex } from '../src/text.ts';
import { allTokens, classifyWords } from '../src/tokens.ts';
import { TreeBuilder } from '../src/tree-builder.ts';

const json = readFileSync(0, 'utf8');
const queries = (JSON.parse(json) as { query: string }[]).map((r) => r.query);
const bytes = queries.reduce((n, q) => n + Buffer.byteLength(q), 0);

const range: Range = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
const field: FieldRef = { kind: 'Field', name: 'F', range };
const value: StringLiteral = { kind: 'String', value: 'v', range };
const operator: OperatorNode = { kind: 'Operator', id: 'eq', text: '=', range };
const predicate: Predicate = { kind: 'Predicate', range, field, operator, operand: value };

class NoTree extends TreeBuilder {
  override range(): Range {
    return range;
  }
  override tokenRange(): Range {
    return range;
  }
  override fieldNode(): FieldRef {
    return field;
  }
  override valueNode(): Value {
    return value;
  }
  override finishOperator(): OperatorNode {
    return operator;
  }
  override finishPredicate(): Predicate {
    return predicate;
  }
  override chain(_kind: 'And' | 'Or', operands: Expr[]): Expr {
    return operands[0] as Expr;
  }
}

const lexer = new Lexer(allTokens as TokenType[], { positionTracking: 'onlyOffset', skipValidations: true });
const parser = new S1qlParser();
function recognise(): void {
  for (const q of queries) {
    const tokens = lexer.tokenize(q).tokens;
    classifyWords(tokens);
    parser.b = new NoTree(q, new LineIndex(q), []);
    parser.input = tokens;
    parser.query();
  }
}

/** The fastest of seven runs, in seconds. */
function fastest(run: () => void): number {
  const times = Array.from({ length: 7 }, () => {
    const t = performance.now();
    run();
    return performance.now() - t;
  });
  return Math.min(...times) / 1000;
}

recognise();
const grammarSeconds = fastest(recognise);
const jsonSeconds = fastest(() => JSON.parse(json));
const mb = 1024 * 1024;
console.log(
  JSON.stringify({ grammarMBs: bytes / mb / grammarSeconds, jsonMBs: Buffer.byteLength(json) / mb / jsonSeconds }),
);
