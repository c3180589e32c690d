import { parse } from '@s1ql/language';
import { type CompiledQuery, type CompileResult, compile, type DvEvent } from '../src/index.ts';

/** Parses query text that must be free of parse errors, then compiles it. */
export function compileText(text: string): CompileResult {
  const { ast, diagnostics } = parse(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new Error(`test query does not parse: ${text}: ${errors.map((d) => d.message).join('; ')}`);
  return compile(ast);
}

export function compiled(text: string): CompiledQuery {
  const result = compileText(text);
  if (!result.ok)
    throw new Error(`refused: ${text}: ${result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return result.query;
}

export function matches(text: string, event: DvEvent): boolean {
  return compiled(text).test(event);
}
