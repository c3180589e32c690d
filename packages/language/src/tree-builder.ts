/**
 * What the parser's actions do: build the readonly tree from tokens and report what is missing or misspelt, with
 * stable codes and fixes. One instance per parse; the grammar itself lives in parser.ts.
 */
import type { IToken, TokenType } from 'chevrotain';
import type {
  AndExpr,
  Expr,
  FieldRef,
  Missing,
  Operand,
  OperatorNode,
  OrExpr,
  Predicate,
  Range,
  RangeOperand,
  Value,
} from './ast.ts';
import { type InvalidOperator, lookupField, lookupFieldByS1ql2, type OperatorId, operatorInfo } from './catalog.ts';
import { Codes, type Diagnostic, type Fix } from './diagnostics.ts';
import type { LineIndex } from './text.ts';
import * as T from './tokens.ts';

export interface OperatorSpelling {
  readonly words: readonly TokenType[];
  readonly id?: OperatorId;
  readonly invalid?: InvalidOperator;
}

export function describe(tok: IToken): string {
  if (tok.tokenType === T.StringLiteral) return `value ${tok.image}`;
  if (tok.tokenType === T.NumberLiteral) return `number ${tok.image}`;
  if (tok.tokenType === T.Identifier || tok.tokenType === T.DottedIdentifier) return `field ${tok.image}`;
  return `"${tok.image}"`;
}

/** A comma after a value: the list goes on. */
const LIST_GOES_ON = /\s*,/y;

export class TreeBuilder {
  readonly text: string;
  readonly lines: LineIndex;
  readonly diagnostics: Diagnostic[];
  /** The last "unexpected token" diagnostic, so a run of stray tokens gets one diagnostic. */
  lastStray: Diagnostic | undefined;

  /**
   * The text from `offset` on, cut at a line end or after about 24 characters: names a place in a message without
   * coordinates (which would be the query's, not the file's, in a YAML hunt).
   */
  snippet(offset: number): string {
    const rest = this.text.slice(offset).split(/\r|\n/, 1)[0] ?? '';
    return rest.length > 24 ? `${rest.slice(0, 24).trimEnd()}…` : rest.trimEnd();
  }

  constructor(text: string, lines: LineIndex, diagnostics: Diagnostic[]) {
    this.text = text;
    this.lines = lines;
    this.diagnostics = diagnostics;
  }

  range(start: number, end: number): Range {
    return this.lines.range(start, end);
  }

  tokenRange(first: IToken, last: IToken = first): Range {
    return this.range(first.startOffset, last.startOffset + last.image.length);
  }

  /** An empty range just after a token. */
  after(tok: IToken): Range {
    const end = tok.startOffset + tok.image.length;
    return this.range(end, end);
  }

  missing(at: Range): Missing {
    return { kind: 'Missing', range: { start: at.end, end: at.end } };
  }

  report(code: string, message: string, range: Range, fix?: Fix, suggestions?: Fix[]): void {
    this.diagnostics.push({
      code,
      severity: 'error',
      message,
      range,
      ...(fix ? { fix } : {}),
      ...(suggestions?.length ? { suggestions } : {}),
    });
  }

  outer(e: Expr): Range {
    return e.parenthesized ?? e.range;
  }

  span(first: Expr, last: Expr): Range {
    return { start: this.outer(first).start, end: this.outer(last).end };
  }

  /** A field name: catalog spelling resolved; a dotted 2.0 name reported (fixed when the catalog maps it). */
  fieldNode(tok: IToken): FieldRef {
    const range = this.tokenRange(tok);
    if (tok.tokenType !== T.DottedIdentifier) {
      const known = lookupField(tok.image);
      return { kind: 'Field', name: tok.image, range, ...(known ? { canonical: known.name } : {}) };
    }
    const known = lookupFieldByS1ql2(tok.image);
    const fix: Fix | undefined = known
      ? { title: `Use the 1.0 name ${known.name}`, edits: [{ range, newText: known.name }] }
      : undefined;
    this.diagnostics.push({
      code: Codes.dottedField,
      severity: 'error',
      message: known
        ? `"${tok.image}" is an S1QL 2.0 field name; in S1QL 1.0 it is ${known.name}.`
        : `"${tok.image}" is an S1QL 2.0 (dotted) field name; S1QL 1.0 field names have no dots.`,
      range,
      ...(fix ? { fix } : {}),
    });
    return { kind: 'Field', name: tok.image, range, dotted: true, ...(known ? { canonical: known.name } : {}) };
  }

  valueNode(tok: IToken): Value {
    if (tok.tokenType === T.NumberLiteral) {
      return { kind: 'Number', value: Number(tok.image), raw: tok.image, range: this.tokenRange(tok) };
    }
    return { kind: 'String', value: (tok.payload as T.StringPayload).value, range: this.tokenRange(tok) };
  }

  chain(kind: 'And' | 'Or', operands: Expr[]): Expr {
    if (operands.length === 1) return operands[0] as Expr;
    for (let i = 1; i < operands.length; i++) this.suggestRepeat(operands[i - 1] as Expr, operands[i] as Expr);
    const range = this.span(operands[0] as Expr, operands.at(-1) as Expr);
    return kind === 'And'
      ? ({ kind, range, operands } satisfies AndExpr)
      : ({ kind, range, operands } satisfies OrExpr);
  }

  /**
   * `Field Op "a" OR "b"`: the value alone (P206) most likely shares the field and operator of the clause before it, so
   * repeating them is suggested (a suggestion: In Contains, or another field, may have been meant).
   */
  suggestRepeat(previous: Expr, bare: Expr): void {
    if (bare.kind !== 'Predicate' || bare.field.kind !== 'Missing' || bare.operator.kind !== 'Missing') return;
    if (previous.kind !== 'Predicate' || previous.field.kind !== 'Field' || previous.operator.kind !== 'Operator')
      return;
    if (
      bare.operand === null ||
      bare.operand.kind === 'Missing' ||
      bare.operand.kind === 'List' ||
      bare.operand.kind === 'Range'
    )
      return;
    const at = bare.range.start;
    const index = this.diagnostics.findIndex(
      (d) => d.code === Codes.missingField && d.range.start.offset === at.offset && !d.suggestions,
    );
    const found = this.diagnostics[index];
    if (!found) return;
    const words = `${this.text.slice(previous.field.range.start.offset, previous.field.range.end.offset)} ${previous.operator.text}`;
    this.diagnostics[index] = {
      ...found,
      suggestions: [{ title: `Repeat ${words}`, edits: [{ range: { start: at, end: at }, newText: `${words} ` }] }],
    };
  }

  joinAnd(left: Expr, right: Expr): Expr {
    const operands = left.kind === 'And' && !left.parenthesized ? [...left.operands, right] : [left, right];
    return { kind: 'And', range: this.span(operands[0] as Expr, right), operands };
  }

  finishOperator(spelling: OperatorSpelling, toks: IToken[]): OperatorNode | Missing {
    const first = toks[0] as IToken;
    const last = toks.at(-1) as IToken;
    const range = this.tokenRange(first, last);
    const text = toks.length === 1 ? first.image : toks.map((t) => t.image).join(' ');
    if (spelling.invalid) {
      const replacement = spelling.id ? operatorInfo(spelling.id).canonical : undefined;
      const fix: Fix | undefined = replacement
        ? { title: `Replace with ${replacement}`, edits: [{ range, newText: replacement }] }
        : undefined;
      this.report(Codes.invalidOperator, spelling.invalid.message, range, fix);
      if (!spelling.id) return { kind: 'Missing', range };
    }
    return { kind: 'Operator', id: spelling.id as OperatorId, text, range };
  }

  finishPredicate(
    field: FieldRef | Missing | undefined,
    op: OperatorNode | Missing | undefined,
    operand: Operand | undefined,
  ): Predicate {
    const start = (field ?? op ?? (operand as Operand)).range.start;
    const end = (operand ?? op ?? (field as FieldRef | Missing)).range.end;
    const range = { start, end };
    let fieldNode: FieldRef | Missing;
    if (field) fieldNode = field;
    else {
      fieldNode = { kind: 'Missing', range: { start, end: start } };
      this.report(
        Codes.missingField,
        op
          ? 'This operator has no field before it.'
          : 'A value on its own is not a condition: add a field and an operator before it.',
        range,
      );
    }
    let opNode: OperatorNode | Missing;
    if (op) opNode = op;
    else {
      const at = field ? field.range.end : start;
      opNode = { kind: 'Missing', range: { start: at, end: at } };
      if (field?.kind === 'Field') {
        const insertEq: Fix = { title: 'Insert =', edits: [{ range: { start: at, end: at }, newText: ' =' }] };
        this.report(
          Codes.missingOperator,
          operand
            ? `Missing operator between ${field.name} and its value.`
            : `${field.name} needs an operator and a value (for example ${field.name} = "...", or ${field.name} Exists).`,
          field.range,
          undefined,
          operand ? [insertEq] : [],
        );
      }
    }
    // Without a field the operator is probably a piece of a misspelt one (`Not In Contains`): no fix is certain.
    const checked =
      opNode.kind === 'Operator' ? this.checkOperand(opNode, operand, field !== undefined) : (operand ?? null);
    return { kind: 'Predicate', range, field: fieldNode, operator: opNode, operand: checked };
  }

  /** Checks the operand has the shape the operator takes, and reports what is missing or extra (fixed if `certain`). */
  checkOperand(op: OperatorNode, operand: Operand | undefined, certain: boolean): Operand | null {
    const info = operatorInfo(op.id);
    const name = info.canonical;
    switch (info.operand) {
      case 'none':
        if (operand) {
          this.report(
            Codes.operandShape,
            `${name} takes no value.`,
            operand.range,
            certain
              ? {
                  title: 'Remove the value',
                  edits: [{ range: { start: op.range.end, end: operand.range.end }, newText: '' }],
                }
              : undefined,
          );
        }
        return null;
      case 'list':
        if (!operand) {
          this.report(Codes.missingValue, `${name} needs a list of values: ${name} ("a", "b").`, {
            start: op.range.end,
            end: op.range.end,
          });
          return this.missing(op.range);
        }
        if (operand.kind === 'String' || operand.kind === 'Number') {
          // `In "x", "y")`: more values follow, so wrapping the first alone is not what was meant.
          LIST_GOES_ON.lastIndex = operand.range.end.offset;
          const goesOn = LIST_GOES_ON.test(this.text);
          const wrap: Fix = {
            title: 'Wrap the value in parentheses',
            edits: [
              { range: { start: operand.range.start, end: operand.range.start }, newText: '(' },
              { range: { start: operand.range.end, end: operand.range.end }, newText: ')' },
            ],
          };
          this.report(
            Codes.operandShape,
            `${name} takes a list in parentheses.`,
            operand.range,
            certain && !goesOn ? wrap : undefined,
          );
          return { kind: 'List', range: operand.range, items: [operand] };
        }
        if (operand.kind === 'Range') {
          this.report(Codes.operandShape, `${name} takes a list in parentheses, not a range.`, operand.range);
        }
        return operand;
      case 'range':
        if (!operand) {
          this.report(Codes.missingValue, 'Between needs two values: Between "1" And "5".', {
            start: op.range.end,
            end: op.range.end,
          });
          return this.missing(op.range);
        }
        if (operand.kind === 'String' || operand.kind === 'Number') {
          this.report(Codes.missingValue, 'Between needs a second value: Between "1" And "5".', {
            start: operand.range.end,
            end: operand.range.end,
          });
          return {
            kind: 'Range',
            range: operand.range,
            low: operand,
            high: this.missing(operand.range),
          } satisfies RangeOperand;
        }
        if (operand.kind === 'List')
          this.report(Codes.operandShape, 'Between takes two values, not a list.', operand.range);
        return operand;
      default:
        // value, string, regex: exactly one value.
        if (!operand) {
          this.report(Codes.missingValue, `Missing value after ${op.text}.`, {
            start: op.range.end,
            end: op.range.end,
          });
          return this.missing(op.range);
        }
        if (operand.kind === 'List') {
          const inList =
            op.id === 'eq'
              ? 'In'
              : op.id === 'containsAnyCase'
                ? 'In Contains AnyCase'
                : op.id === 'contains'
                  ? 'In Contains'
                  : undefined;
          const fix: Fix | undefined =
            inList && certain ? { title: `Use ${inList}`, edits: [{ range: op.range, newText: inList }] } : undefined;
          this.report(
            Codes.operandShape,
            `${name} takes one value, not a list${inList ? `; for a list use ${inList}` : ''}.`,
            operand.range,
            fix,
          );
        }
        return operand;
    }
  }

  reportDangling(tok: IToken): void {
    const word = tok.image.toUpperCase();
    this.report(Codes.danglingLogical, `${word} needs a condition after it.`, this.tokenRange(tok), {
      title: `Remove the ${word}`,
      edits: [{ range: this.tokenRange(tok), newText: '' }],
    });
  }

  reportStray(tok: IToken): void {
    const range = this.tokenRange(tok);
    if (tok.tokenType === T.And || tok.tokenType === T.Or) {
      const word = tok.image.toUpperCase();
      this.report(Codes.danglingLogical, `${word} needs a condition before it.`, range, {
        title: `Remove the ${word}`,
        edits: [{ range, newText: '' }],
      });
      return;
    }
    // One diagnostic for a run of unexpected tokens.
    const previous = this.diagnostics.at(-1);
    if (previous && previous === this.lastStray) {
      const between = this.text.slice(previous.range.end.offset, range.start.offset);
      if (/^\s*$/.test(between)) {
        this.lastStray = {
          ...previous,
          message: 'Unexpected text.',
          range: { start: previous.range.start, end: range.end },
        };
        this.diagnostics[this.diagnostics.length - 1] = this.lastStray;
        return;
      }
    }
    this.report(Codes.unexpectedToken, `Unexpected ${describe(tok)}.`, range);
    this.lastStray = this.diagnostics.at(-1);
  }
}
