/** Every rule, in code order. Adding a rule: its file here, its test and its doc (the meta-test checks all three). */
import { rule as alwaysTrue } from './rules/always-true.ts';
import { rule as ambiguousNot } from './rules/ambiguous-not.ts';
import { rule as bareNumber } from './rules/bare-number.ts';
import { rule as broadQuery } from './rules/broad-query.ts';
import { rule as caseSensitiveOnInsensitiveData } from './rules/case-sensitive-on-insensitive-data.ts';
import { rule as contradictoryAnd } from './rules/contradictory-and.ts';
import { rule as duplicateCondition } from './rules/duplicate-condition.ts';
import { rule as duplicateListValue } from './rules/duplicate-list-value.ts';
import { rule as fieldNotInEventType } from './rules/field-not-in-event-type.ts';
import { rule as invalidEnumValue } from './rules/invalid-enum-value.ts';
import { rule as invalidRegex } from './rules/invalid-regex.ts';
import { rule as keywordCase } from './rules/keyword-case.ts';
import { rule as legacyField } from './rules/legacy-field.ts';
import { rule as lineBreakInValue } from './rules/line-break-in-value.ts';
import { rule as listTooLong } from './rules/list-too-long.ts';
import { rule as maxLineWidth } from './rules/max-line-width.ts';
import { rule as mixedAndOr } from './rules/mixed-and-or.ts';
import { rule as noComment } from './rules/no-comment.ts';
import { rule as operatorSpelling } from './rules/operator-spelling.ts';
import { rule as operatorTypeMismatch } from './rules/operator-type-mismatch.ts';
import { rule as orChainToList } from './rules/or-chain-to-list.ts';
import { rule as redundantRegexWildcard } from './rules/redundant-regex-wildcard.ts';
import { rule as regexWithoutMetacharacters } from './rules/regex-without-metacharacters.ts';
import { rule as shortSubstring } from './rules/short-substring.ts';
import { rule as subsumedPredicate } from './rules/subsumed-predicate.ts';
import { rule as unknownField } from './rules/unknown-field.ts';
import { rule as wildcardInSubstring } from './rules/wildcard-in-substring.ts';
import type { Rule } from './types.ts';

export const rules: readonly Rule[] = [
  unknownField,
  fieldNotInEventType,
  operatorTypeMismatch,
  invalidEnumValue,
  invalidRegex,
  contradictoryAnd,
  listTooLong,
  alwaysTrue,
  duplicateCondition,
  duplicateListValue,
  subsumedPredicate,
  mixedAndOr,
  ambiguousNot,
  caseSensitiveOnInsensitiveData,
  bareNumber,
  legacyField,
  noComment,
  wildcardInSubstring,
  lineBreakInValue,
  regexWithoutMetacharacters,
  redundantRegexWildcard,
  shortSubstring,
  broadQuery,
  orChainToList,
  keywordCase,
  operatorSpelling,
  maxLineWidth,
];
