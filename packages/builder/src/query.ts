/**
 * The immutable, typed builder. Every method returns a new `S1qlQuery` over frozen AST nodes of @s1ql/language;
 * text comes only from that package's `print` / `printCompact`.
 */
import {
  type Expr,
  type Operand,
  operatorInfo,
  type PrintOptions,
  parse,
  print,
  printCompact,
  type Query,
} from '@s1ql/language';
import { BuilderError, RawSyntaxError } from './errors.ts';
import { adopt, chainNode, listNode, notNode, predicateNode, queryNode, rangeNode } from './nodes.ts';
import { resolveField, resolveOperator } from './operators.ts';
import type { CheckOperator, FieldName, OperandArgs, OperatorName } from './types.ts';
import { valueNode } from './values.ts';

/** A built S1QL 1.0 expression. Immutable: combine it with `and`, `or`, `not` to get new ones. */
export class S1qlQuery {
  readonly #expr: Expr;

  /** @internal Use `s1ql.where`, `and`, `or`, `not` or `raw`. */
  constructor(expr: Expr) {
    this.#expr = expr;
    Object.freeze(this);
  }

  /**
   * This query AND another condition: `q.and(other)` or `q.and(field, operator, ...operand)`.
   *
   * ```ts
   * s1ql.where('EventType', '=', 'Process Creation').and('TgtProcName', 'in anycase', ['powershell.exe', 'pwsh.exe']).toCompact()
   * // => EventType = "Process Creation" AND TgtProcName In AnyCase ("powershell.exe", "pwsh.exe")
   * ```
   */
  and(other: S1qlQuery): S1qlQuery;
  and<F extends FieldName, O extends OperatorName>(
    field: F,
    operator: CheckOperator<F, O>,
    ...operand: OperandArgs<F, O>
  ): S1qlQuery;
  and(first: S1qlQuery | string, operator?: string, ...operand: unknown[]): S1qlQuery {
    return new S1qlQuery(chainNode('And', [this.#expr, conditionExpr(first, operator, operand)]));
  }

  /**
   * This query OR another condition. The whole query so far is one side: `a.and(b).or(c)` is `(a AND b) OR c`.
   *
   * ```ts
   * s1ql.where('TgtFileExtension', '=', 'ps1').or('TgtFileExtension', '=', 'vbs').and('EventType', '=', 'File Creation').toCompact()
   * // => (TgtFileExtension = "ps1" OR TgtFileExtension = "vbs") AND EventType = "File Creation"
   * ```
   */
  or(other: S1qlQuery): S1qlQuery;
  or<F extends FieldName, O extends OperatorName>(
    field: F,
    operator: CheckOperator<F, O>,
    ...operand: OperandArgs<F, O>
  ): S1qlQuery;
  or(first: S1qlQuery | string, operator?: string, ...operand: unknown[]): S1qlQuery {
    return new S1qlQuery(chainNode('Or', [this.#expr, conditionExpr(first, operator, operand)]));
  }

  /**
   * NOT this query.
   *
   * ```ts
   * s1ql.where('SrcProcName', '=', 'svchost.exe').not().toCompact()
   * // => NOT SrcProcName = "svchost.exe"
   * ```
   */
  not(): S1qlQuery {
    return new S1qlQuery(notNode(this.#expr));
  }

  /** The expression (frozen). */
  toExpr(): Expr {
    return this.#expr;
  }

  /**
   * The frozen `Query` node, ready for `print`, the translator or the engine.
   *
   * ```ts
   * s1ql.where('TgtFileIsSigned', '=', 'unsigned').toAst().expr?.kind
   * // => Predicate
   * ```
   */
  toAst(): Query {
    return queryNode(this.#expr);
  }

  /**
   * Canonical text (`print` of @s1ql/language): long queries are broken one clause per line.
   *
   * ```ts
   * s1ql.where('SrcProcPID', 'between', 100, 200).toString()
   * // => SrcProcPID Between "100" And "200"
   * ```
   */
  toString(options?: PrintOptions): string {
    return print(this.#expr, options);
  }

  /**
   * The one-line form the API takes (`printCompact` of @s1ql/language).
   *
   * ```ts
   * s1ql.where('DnsRequest', 'endswith anycase', '.onion').toCompact()
   * // => DnsRequest EndsWith AnyCase ".onion"
   * ```
   */
  toCompact(): string {
    return printCompact(this.#expr);
  }
}

function conditionExpr(first: S1qlQuery | string, operator: string | undefined, operand: readonly unknown[]): Expr {
  if (first instanceof S1qlQuery) return first.toExpr();
  return predicate(first, operator as string, operand);
}

function predicate(fieldName: string, operatorName: string, args: readonly unknown[]): Expr {
  const field = resolveField(fieldName);
  const op = resolveOperator(field, operatorName);
  const info = operatorInfo(op.id);
  const want = info.operand === 'none' ? 0 : info.operand === 'range' ? 2 : 1;
  if (args.length !== want) {
    throw new BuilderError(
      'S1QL_BUILDER_VALUE',
      `${field.name} ${info.canonical} takes ${want === 0 ? 'no operand' : want === 2 ? 'two bounds' : 'one operand'}, got ${args.length}.`,
    );
  }
  // Text operators compare strings whatever the field (`Contains "Process"` on EventType is fine).
  const exact =
    info.operand === 'value' ||
    info.operand === 'range' ||
    op.id === 'in' ||
    op.id === 'notIn' ||
    op.id === 'inAnyCase';
  let operand: Operand | null;
  switch (info.operand) {
    case 'none':
      operand = null;
      break;
    case 'range':
      operand = rangeNode(valueNode(field, op.id, args[0], true), valueNode(field, op.id, args[1], true));
      break;
    case 'list': {
      const values = args[0];
      if (!Array.isArray(values)) {
        throw new BuilderError('S1QL_BUILDER_VALUE', `${field.name} ${info.canonical} takes an array of values.`);
      }
      if (values.length === 0) {
        throw new BuilderError('S1QL_BUILDER_EMPTY_LIST', `${field.name} ${info.canonical} needs at least one value.`);
      }
      operand = listNode(values.map((v: unknown) => valueNode(field, op.id, v, exact)));
      break;
    }
    default:
      operand = valueNode(field, op.id, args[0], exact);
  }
  return predicateNode(field.name, op.id, info.canonical, operand);
}

/** Untyped `where` for callers that pick fields from data (sweeps); the runtime checks still apply. */
export function fieldCondition(field: string, operator: string, ...operand: unknown[]): S1qlQuery {
  return new S1qlQuery(predicate(field, operator, operand));
}

/** Field name, operator, then what the operator takes (nothing, a value, an array, or two bounds). */
export type ConditionFunction = <F extends FieldName, O extends OperatorName>(
  field: F,
  operator: CheckOperator<F, O>,
  ...operand: OperandArgs<F, O>
) => S1qlQuery;

export interface S1qlEntry {
  /**
   * One condition, the start of a query.
   *
   * ```ts
   * s1ql.where('EventType', '=', 'Process Creation').toCompact()
   * // => EventType = "Process Creation"
   * ```
   */
  readonly where: ConditionFunction;
  /**
   * The same as `where`; reads better inside `and(...)` / `or(...)`.
   *
   * ```ts
   * or(s1ql.cond('TgtProcCmdLine', 'contains anycase', '-enc'), s1ql.cond('TgtProcCmdLine', 'contains anycase', '-e ')).toCompact()
   * // => TgtProcCmdLine Contains AnyCase "-enc" OR TgtProcCmdLine Contains AnyCase "-e "
   * ```
   */
  readonly cond: ConditionFunction;
}

/** The builder's entry point. */
export const s1ql: S1qlEntry = Object.freeze({
  where: fieldCondition as ConditionFunction,
  cond: fieldCondition as ConditionFunction,
});

/**
 * All of the parts, as one AND chain.
 *
 * ```ts
 * and(s1ql.where('ObjectType', '=', 'dns'), s1ql.where('DnsRequest', 'contains anycase', 'ngrok')).toCompact()
 * // => ObjectType = "dns" AND DnsRequest Contains AnyCase "ngrok"
 * ```
 */
export function and(first: S1qlQuery, ...rest: readonly S1qlQuery[]): S1qlQuery {
  return rest.length === 0
    ? first
    : new S1qlQuery(
        chainNode(
          'And',
          [first, ...rest].map((q) => q.toExpr()),
        ),
      );
}

/**
 * Any of the parts, as one OR chain. Inside an AND it is parenthesised by the printer.
 *
 * ```ts
 * s1ql.where('ObjectType', '=', 'ip').and(or(s1ql.cond('DstPort', '=', 4444), s1ql.cond('DstPort', '=', 1337))).toCompact()
 * // => ObjectType = "ip" AND (DstPort = "4444" OR DstPort = "1337")
 * ```
 */
export function or(first: S1qlQuery, ...rest: readonly S1qlQuery[]): S1qlQuery {
  return rest.length === 0
    ? first
    : new S1qlQuery(
        chainNode(
          'Or',
          [first, ...rest].map((q) => q.toExpr()),
        ),
      );
}

/**
 * NOT the part.
 *
 * ```ts
 * s1ql.where('EventType', '=', 'Login').and(not(or(s1ql.cond('LoginType', '=', 'SERVICE'), s1ql.cond('LoginType', '=', 'BATCH')))).toCompact()
 * // => EventType = "Login" AND NOT (LoginType = "SERVICE" OR LoginType = "BATCH")
 * ```
 */
export function not(part: S1qlQuery): S1qlQuery {
  return part.not();
}

/**
 * S1QL text as a part, parsed now with @s1ql/language's `parse`. Throws `RawSyntaxError`
 * (`code: 'S1QL_BUILDER_RAW_SYNTAX'`, with the diagnostics) when the text has errors or no expression.
 * `--` comments in the text are dropped.
 *
 * ```ts
 * s1ql.where('EventType', '=', 'Process Creation').and(raw('tgtprocname in anycase ("a.exe") or SrcProcName = "b.exe"')).toCompact()
 * // => EventType = "Process Creation" AND (TgtProcName In AnyCase ("a.exe") OR SrcProcName = "b.exe")
 * ```
 */
export function raw(text: string): S1qlQuery {
  const { ast, diagnostics } = parse(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || ast.expr === null) throw new RawSyntaxError(text, errors);
  return new S1qlQuery(adopt(ast.expr));
}

export type { FieldName, OperatorName };
