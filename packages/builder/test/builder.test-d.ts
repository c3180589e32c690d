/**
 * Type-level behaviour of the builder. This file is type-checked by `pnpm tsc -b` (the package tsconfig includes
 * test/): every `@ts-expect-error` line must fail to compile, and each sits next to a twin that compiles, so the
 * error is the one named in its comment.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  and,
  type ExactValue,
  type FieldName,
  not,
  type OperandArgs,
  type OperatorFor,
  or,
  raw,
  type S1qlQuery,
  s1ql,
} from '../src/index.ts';
import type {
  booleanOperators,
  exactOperators,
  orderingOperators,
  presenceOperators,
  textOperators,
} from '../src/operators.ts';
import type { BooleanOperator, ExactOperator, OrderingOperator, PresenceOperator, TextOperator } from '../src/types.ts';

describe('builder types', () => {
  it('accepts real fields with the operators and values their types allow', () => {
    expectTypeOf(s1ql.where('EventType', '=', 'Process Creation')).toEqualTypeOf<S1qlQuery>();
    expectTypeOf(s1ql.where('TgtProcName', 'in anycase', ['a.exe'])).toEqualTypeOf<S1qlQuery>();
    expectTypeOf(s1ql.where('SrcProcPID', '>', 4)).toEqualTypeOf<S1qlQuery>();
    expectTypeOf(s1ql.where('SrcProcPID', 'between', 1, 9)).toEqualTypeOf<S1qlQuery>();
    expectTypeOf(s1ql.where('TgtFileIsExecutable', 'is true')).toEqualTypeOf<S1qlQuery>();
    expectTypeOf(s1ql.where('EventTime', '>=', new Date(0))).toEqualTypeOf<S1qlQuery>();
    expectTypeOf(s1ql.where('EventType', 'contains anycase', 'Process')).toEqualTypeOf<S1qlQuery>();
    expectTypeOf(s1ql.where('DstIP', 'startswith', '10.')).toEqualTypeOf<S1qlQuery>();
    expectTypeOf(s1ql.where('TgtFileSha1', 'exists')).toEqualTypeOf<S1qlQuery>();
    expectTypeOf(and(s1ql.cond('SrcProcPID', '=', 4), not(raw('A = "1"')))).toEqualTypeOf<S1qlQuery>();
    expectTypeOf(
      or(s1ql.cond('SrcProcPID', '=', 4)).and('EventType', 'in', ['Login', 'Logout']),
    ).toEqualTypeOf<S1qlQuery>();
  });

  it('derives value types from the catalog', () => {
    expectTypeOf<ExactValue<'SrcProcPID'>>().toEqualTypeOf<number>();
    expectTypeOf<ExactValue<'TgtProcName'>>().toEqualTypeOf<string>();
    expectTypeOf<ExactValue<'AgentOS'>>().toEqualTypeOf<'windows' | 'linux' | 'osx'>();
    expectTypeOf<ExactValue<'TgtFileIsExecutable'>>().toBeNever();
    expectTypeOf<OperatorFor<'TgtFileIsExecutable'>>().toEqualTypeOf<
      'is true' | 'is false' | 'is empty' | 'is not empty' | 'exists'
    >();
    expectTypeOf<OperandArgs<'SrcProcPID', 'between'>>().toEqualTypeOf<[low: number, high: number]>();
    expectTypeOf<OperandArgs<'SrcProcPID', 'exists'>>().toEqualTypeOf<[]>();
    expectTypeOf<'SrcProcCmdLine'>().toExtend<FieldName>();
    expectTypeOf<'SrcProcCmdline'>().not.toExtend<FieldName>();
  });

  it('keeps the runtime operator tables equal to the types', () => {
    expectTypeOf<(typeof presenceOperators)[number]>().toEqualTypeOf<PresenceOperator>();
    expectTypeOf<(typeof exactOperators)[number]>().toEqualTypeOf<ExactOperator>();
    expectTypeOf<(typeof orderingOperators)[number]>().toEqualTypeOf<OrderingOperator>();
    expectTypeOf<(typeof booleanOperators)[number]>().toEqualTypeOf<BooleanOperator>();
    expectTypeOf<(typeof textOperators)[number]>().toEqualTypeOf<TextOperator>();
  });

  it('rejects what S1QL or the catalog does not allow', () => {
    // Each pair: the first line compiles, the second differs only in the part that must be rejected.
    // unknown field (and a case variant: the types want the catalog spelling)
    s1ql.where('TgtProcName', '=', 'x');
    // @ts-expect-error unknown field
    s1ql.where('TgtProcNam', '=', 'x');
    // @ts-expect-error the catalog spelling is TgtProcName
    s1ql.where('tgtprocname', '=', 'x');

    // ordering on string, hash and ip fields
    s1ql.where('SrcProcPID', '<', 5);
    // @ts-expect-error ordering on a string field
    s1ql.where('TgtProcName', '<', 'x');
    // @ts-expect-error Between on a hash field
    s1ql.where('TgtFileSha1', 'between', 'a', 'b');
    // @ts-expect-error ordering on an ip field
    s1ql.where('DstIP', '>=', '10.0.0.1');

    // substring, StartsWith and RegExp on a number field
    s1ql.where('TgtProcName', 'contains', '4');
    // @ts-expect-error Contains on a number field
    s1ql.where('SrcProcPID', 'contains', '4');
    // @ts-expect-error StartsWith on a number field
    s1ql.where('SrcProcPID', 'startswith', '4');
    // @ts-expect-error RegExp on a number field
    s1ql.where('SrcProcPID', 'regexp', '^4');

    // wrong value types
    s1ql.where('SrcProcPID', '=', 4);
    // @ts-expect-error a string on a number field
    s1ql.where('SrcProcPID', '=', '4');
    // @ts-expect-error a number on a string field
    s1ql.where('TgtProcName', '=', 4);
    // @ts-expect-error a list where one value is expected
    s1ql.where('TgtProcName', '=', ['a']);
    // @ts-expect-error one value where a list is expected
    s1ql.where('TgtProcName', 'in', 'a');
    // @ts-expect-error a number in a string list
    s1ql.where('TgtProcName', 'in', ['a', 1]);
    // @ts-expect-error missing operand
    s1ql.where('TgtProcName', '=');
    // @ts-expect-error an operand for an operator that takes none
    s1ql.where('TgtProcName', 'exists', 'x');
    // @ts-expect-error Between needs two bounds
    s1ql.where('SrcProcPID', 'between', 1);

    // enum values outside the enum
    s1ql.where('EventType', '=', 'Process Creation');
    // @ts-expect-error misspelt enum value
    s1ql.where('EventType', '=', 'Proccess Creation');
    // @ts-expect-error enum value in a list
    s1ql.where('EventType', 'in', ['Login', 'Logon']);
    // @ts-expect-error enum values are the catalog's spelling
    s1ql.where('AgentOS', '!=', 'Windows');

    // booleans: no lists, no comparisons, no values
    s1ql.where('TgtFileIsExecutable', 'is false');
    // @ts-expect-error a list on a boolean field
    s1ql.where('TgtFileIsExecutable', 'in', ['true']);
    // @ts-expect-error = on a boolean field
    s1ql.where('TgtFileIsExecutable', '=', 'true');
    // @ts-expect-error Is True on a string field
    s1ql.where('TgtProcName', 'is true');

    // unknown operator spellings
    s1ql.where('TgtProcName', 'contains anycase', 'x');
    // @ts-expect-error not an S1QL operator
    s1ql.where('TgtProcName', 'like', 'x');
    // @ts-expect-error invalid 1.0 spelling (In ContainsCIS)
    s1ql.where('TgtProcName', 'in containscis', ['x']);

    // the fluent methods check the same way
    s1ql.where('TgtProcName', '=', 'x').and('SrcProcPID', '>', 1);
    // @ts-expect-error ordering on a string field through .and
    s1ql.where('TgtProcName', '=', 'x').and('TgtProcName', '>', 'y');
    // @ts-expect-error wrong enum value through .or
    s1ql.where('TgtProcName', '=', 'x').or('EventType', '=', 'Proccess Creation');
    // @ts-expect-error and() takes builders, not strings
    and('TgtProcName = "x"');
  });
});
