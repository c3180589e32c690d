/**
 * Configuration: `s1ql.config.json` (`extends`, `rules`, `overrides`, `exclusions`), validated with messages that
 * name the place of the mistake, and resolved to the enabled rules for one file.
 */
// jsonc-parser is a UMD (CommonJS) module: under nodenext its default import is the module object.
import jsonc from 'jsonc-parser';
import { matchGlob } from './glob.ts';
import { rules } from './registry.ts';
import type { Exclusion, LintConfig, ResolvedConfig, RuleConfig, RuleLevel, RuleSetting } from './types.ts';

/** A configuration that cannot be used; `where` says which key (or line:column for JSON syntax). */
export class ConfigError extends Error {
  readonly code = 'S1QL_CONFIG';
  readonly where: string;
  constructor(message: string, where: string) {
    super(`${where}: ${message}`);
    this.name = 'ConfigError';
    this.where = where;
  }
}

const LEVELS: readonly string[] = ['off', 'warn', 'error'];
const ruleIds = new Set(rules.map((r) => r.meta.id));

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkRules(value: unknown, where: string): Record<string, RuleSetting> {
  if (!isObject(value)) throw new ConfigError('must be an object of rule ids', where);
  for (const [id, setting] of Object.entries(value)) {
    const at = `${where}.${id}`;
    if (!ruleIds.has(id)) throw new ConfigError(`unknown rule "${id}"`, at);
    const level = Array.isArray(setting) ? setting[0] : setting;
    if (typeof level !== 'string' || !LEVELS.includes(level)) {
      throw new ConfigError('must be "off", "warn", "error" or ["warn", options]', at);
    }
  }
  return value as Record<string, RuleSetting>;
}

/** Checks the shape of a configuration object and returns it typed; throws ConfigError. */
export function validateConfig(value: unknown, where = 'config'): LintConfig {
  if (!isObject(value)) throw new ConfigError('must be an object', where);
  for (const key of Object.keys(value)) {
    if (!['$schema', 'extends', 'rules', 'overrides', 'exclusions'].includes(key)) {
      throw new ConfigError(`unknown key "${key}"`, where);
    }
  }
  const ext = value.extends;
  if (ext !== undefined && ext !== 'recommended' && ext !== 'all') {
    throw new ConfigError('must be "recommended" or "all"', `${where}.extends`);
  }
  if (value.rules !== undefined) checkRules(value.rules, `${where}.rules`);
  if (value.overrides !== undefined) {
    if (!Array.isArray(value.overrides)) throw new ConfigError('must be an array', `${where}.overrides`);
    value.overrides.forEach((o: unknown, i) => {
      const at = `${where}.overrides[${i}]`;
      if (!isObject(o)) throw new ConfigError('must be an object {files, rules}', at);
      if (!Array.isArray(o.files) || o.files.length === 0 || !o.files.every((f) => typeof f === 'string')) {
        throw new ConfigError('must be a non-empty array of globs', `${at}.files`);
      }
      checkRules(o.rules, `${at}.rules`);
    });
  }
  if (value.exclusions !== undefined) {
    if (!Array.isArray(value.exclusions)) throw new ConfigError('must be an array', `${where}.exclusions`);
    value.exclusions.forEach((e: unknown, i) => {
      checkExclusion(e, `${where}.exclusions[${i}]`, true);
    });
  }
  return value as LintConfig;
}

/** Validates one exclusion; hunts (YAML `lint:`) omit `file`. A reason is always required. */
export function checkExclusion(e: unknown, where: string, needsFile: boolean): Exclusion {
  if (!isObject(e)) throw new ConfigError('must be an object {file, rule, reason}', where);
  if (needsFile && (typeof e.file !== 'string' || e.file === '')) {
    throw new ConfigError('needs a "file" (path or glob)', `${where}.file`);
  }
  if (typeof e.rule !== 'string' || !(ruleIds.has(e.rule) || e.rule === '*')) {
    throw new ConfigError(`unknown rule ${JSON.stringify(e.rule)}`, `${where}.rule`);
  }
  if (typeof e.reason !== 'string' || e.reason.trim() === '') {
    throw new ConfigError('an exclusion needs a "reason" saying why the finding is accepted', `${where}.reason`);
  }
  return e as unknown as Exclusion;
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

/**
 * Where `text` stops being JSON, for the mistakes V8 describes without a position (`warn` unquoted, a file cut off):
 * jsonc-parser's scanner, strict (no comments, no trailing commas), gives the offset.
 */
function jsonErrorOffset(text: string): number {
  const errors: jsonc.ParseError[] = [];
  jsonc.parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return errors[0]?.offset ?? text.length;
}

/** Reads a JSON configuration (`.yaml` is parsed by the caller, which then calls resolveConfig). */
export function loadConfig(text: string, fileName: string): ResolvedConfig {
  let value: unknown;
  // A byte order mark (editors on Windows write one) is not JSON, but is no mistake either: hunts may carry one too.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    value = JSON.parse(json);
  } catch (error) {
    // V8 quotes the text instead of giving a position for some mistakes: keep its words, find the place apart.
    const message = (error instanceof Error ? error.message : String(error)).replace(
      /^(Unexpected token '.+?'), (?:\.\.\.)?".*" is not valid JSON$/s,
      '$1',
    );
    const at = /position (\d+)/.exec(message);
    const where = `${fileName}:${lineColumn(json, at ? Number(at[1]) : jsonErrorOffset(json))}`;
    throw new ConfigError(`not valid JSON (${message})`, where);
  }
  return resolveConfig(validateConfig(value, fileName));
}

function toRuleConfig(setting: RuleSetting): RuleConfig | null {
  const level: RuleLevel = typeof setting === 'string' ? setting : setting[0];
  if (level === 'off') return null;
  return {
    severity: level === 'error' ? 'error' : 'warning',
    options: typeof setting === 'string' ? undefined : setting[1],
  };
}

export interface ResolveOptions {
  /** Glob matcher for overrides and exclusions (default: the built-in one). */
  readonly matchGlob?: (path: string, glob: string) => boolean;
}

/**
 * The rules enabled for a file: the base set (recommended = each rule's default severity; all = every rule, style
 * included, at its default or warn), then `rules`, then each override whose globs match the file, in order.
 */
export function resolveConfig(config: LintConfig, filePath?: string, options: ResolveOptions = {}): ResolvedConfig {
  const match = options.matchGlob ?? matchGlob;
  const enabled = new Map<string, RuleConfig>();
  for (const rule of rules) {
    const level = config.extends === 'all' && rule.meta.defaultSeverity === 'off' ? 'warn' : rule.meta.defaultSeverity;
    const rc = toRuleConfig(level);
    if (rc) enabled.set(rule.meta.id, rc);
  }
  const apply = (settings: Readonly<Record<string, RuleSetting>> | undefined) => {
    for (const [id, setting] of Object.entries(settings ?? {})) {
      const rc = toRuleConfig(setting);
      if (rc) enabled.set(id, rc);
      else enabled.delete(id);
    }
  };
  apply(config.rules);
  const exclusions: Exclusion[] = [];
  if (filePath !== undefined) {
    for (const o of config.overrides ?? []) if (o.files.some((g) => match(filePath, g))) apply(o.rules);
    for (const e of config.exclusions ?? []) if (e.file === undefined || match(filePath, e.file)) exclusions.push(e);
  } else exclusions.push(...(config.exclusions ?? []).filter((e) => e.file === undefined));
  return { rules: enabled, exclusions, config };
}

/** The configuration used when none is given. */
export const recommended: ResolvedConfig = resolveConfig({ extends: 'recommended' });

/**
 * The exclusions of a configuration that cover more than one file (no file, or a glob): whether such an exclusion
 * still matches anything is a question about the whole run, not about each file it covers.
 */
export function sharedExclusions(config: LintConfig): Set<Exclusion> {
  return new Set((config.exclusions ?? []).filter((e) => e.file === undefined || /[*?[\]{}]/.test(e.file)));
}

/** Adds exclusions written inside a hunt (YAML `lint:` key) to a resolved configuration. */
export function withExclusions(config: ResolvedConfig, exclusions: readonly Exclusion[]): ResolvedConfig {
  return { ...config, exclusions: [...config.exclusions, ...exclusions] };
}
