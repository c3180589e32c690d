/**
 * @s1ql/engine: evaluates S1QL 1.0 against events with the semantics of design/S1QL.md ("Engine semantics").
 * `compile` turns an AST into a fast predicate once, or refuses it (E6xx) when it cannot be evaluated
 * faithfully. Browser-safe: no Node APIs.
 */
export type { EngineCode } from './codes.ts';
export { EngineCodes } from './codes.ts';
export type { CompiledQuery, CompileOptions, CompileResult } from './compile.ts';
export { compile } from './compile.ts';
export type { DvEvent } from './read-field.ts';
export { inTimeWindow, readField } from './read-field.ts';
export type { RegexTranslation } from './regex.ts';
export { translateRegex } from './regex.ts';
export { parseTimestamp } from './values.ts';
