export type { ResolveOptions } from './config.ts';
export {
  ConfigError,
  checkExclusion,
  loadConfig,
  recommended,
  resolveConfig,
  sharedExclusions,
  validateConfig,
  withExclusions,
} from './config.ts';
export type { FixResult } from './fixes.ts';
export { applyFixes, meaningKey } from './fixes.ts';
export { globToRegExp, matchGlob } from './glob.ts';
export type { LintOptions } from './linter.ts';
export { lint, UNUSED_EXCLUSION } from './linter.ts';
export { rules } from './registry.ts';
export type { EslintFix } from './reporters/eslint-json.ts';
export { toEslintJson } from './reporters/eslint-json.ts';
export { escapeData, escapeProperty, toGithub } from './reporters/github.ts';
export { toSarif } from './reporters/sarif.ts';
export type { Colors, StylishOptions } from './reporters/stylish.ts';
export { noColors, toStylish } from './reporters/stylish.ts';
export type {
  Catalog,
  Exclusion,
  FileResult,
  LintConfig,
  LintMessage,
  Override,
  Report,
  ResolvedConfig,
  Rule,
  RuleCategory,
  RuleConfig,
  RuleContext,
  RuleLevel,
  RuleMeta,
  RuleSetting,
} from './types.ts';
