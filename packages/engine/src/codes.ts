/** The engine's diagnostic codes (E6xx). Message text may improve; codes never change meaning. */
export const EngineCodes = {
  /** A RegExp pattern JavaScript cannot express faithfully (see regex.ts for the exact list). */
  unsupportedRegex: 'E601',
  /** The AST has syntax errors or missing parts (Error or Missing nodes, wrong operand shape, empty query). */
  incompleteQuery: 'E602',
  /** A number or timestamp operand that does not parse on a number or timestamp comparison. */
  invalidOperand: 'E603',
} as const;

export type EngineCode = (typeof EngineCodes)[keyof typeof EngineCodes];
