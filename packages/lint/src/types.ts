/** The linter's public data: rules, messages, configuration and per-file results. All plain data. */
import type {
  Diagnostic,
  EventTypeInfo,
  FieldInfo,
  Fix,
  ObjectTypeInfo,
  OperatorId,
  OperatorInfo,
  Query,
  Range,
} from '@s1ql/language';

/** A finding: a rule's (ruleId = rule id) or the parser's (ruleId = null). */
export interface LintMessage extends Diagnostic {
  readonly ruleId: string | null;
}

export type RuleCategory = 'correctness' | 'suspicious' | 'performance' | 'style';
export type RuleLevel = 'off' | 'warn' | 'error';
export type RuleSetting = RuleLevel | readonly [RuleLevel, unknown];

export interface RuleMeta {
  readonly id: string;
  /** Stable code (R4xx); message text may change, codes do not. */
  readonly code: string;
  readonly name: string;
  readonly category: RuleCategory;
  readonly defaultSeverity: RuleLevel;
  readonly fixable: boolean;
  /** The fix is meant to change what the query matches (a corrected value): --fix checks only that it parses. */
  readonly changesMeaning?: boolean;
  readonly docsUrl: string;
  readonly description: string;
}

export interface Catalog {
  readonly fields: readonly FieldInfo[];
  readonly eventTypes: readonly EventTypeInfo[];
  readonly objectTypes: readonly ObjectTypeInfo[];
  lookupField(name: string): FieldInfo | undefined;
  operatorInfo(id: OperatorId): OperatorInfo;
}

export interface Report {
  /** Where: a node's range, or an explicit range. */
  readonly node?: { readonly range: Range };
  readonly range?: Range;
  readonly message: string;
  /** Certainly what was meant: applied by --fix. */
  readonly fix?: Fix;
  /** Plausible rewrites a person chooses between. */
  readonly suggestions?: readonly Fix[];
}

export interface RuleContext {
  readonly ast: Query;
  readonly text: string;
  readonly catalog: Catalog;
  /** The rule's options from the configuration (`["warn", options]`), or undefined. */
  readonly options: unknown;
  /** The range of text between two UTF-16 offsets. */
  rangeOf(start: number, end: number): Range;
  report(report: Report): void;
}

export interface Rule {
  readonly meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export interface Exclusion {
  /** A path or glob relative to the configuration file; absent for exclusions written inside a hunt. */
  readonly file?: string;
  readonly rule: string;
  readonly reason: string;
}

export interface Override {
  readonly files: readonly string[];
  readonly rules: Readonly<Record<string, RuleSetting>>;
}

export interface LintConfig {
  readonly extends?: 'recommended' | 'all';
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  readonly overrides?: readonly Override[];
  readonly exclusions?: readonly Exclusion[];
}

export interface RuleConfig {
  readonly severity: 'error' | 'warning';
  readonly options: unknown;
}

/** A configuration with its rule levels worked out (for one file when a path was given). */
export interface ResolvedConfig {
  /** Enabled rules only. */
  readonly rules: ReadonlyMap<string, RuleConfig>;
  /** Exclusions that apply (to the file, when resolved for one). */
  readonly exclusions: readonly Exclusion[];
  /** The validated configuration it came from, to resolve again for another file. */
  readonly config: LintConfig;
}

/** One linted file, as the reporters take it. */
export interface FileResult {
  /** As shown to people and written into reports (relative, forward slashes for SARIF). */
  readonly filePath: string;
  readonly messages: readonly LintMessage[];
  /** The file's text, for code frames and offsets; optional. */
  readonly source?: string;
}
