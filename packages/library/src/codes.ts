/**
 * The saved-query library's diagnostic codes (H5xx). Codes are stable: message text may change, a code's meaning
 * never does. The error/warning split follows design/CLI.md, "The saved-query library".
 *
 * | code | severity | meaning |
 * |------|----------|---------|
 * | H501 | error    | unreadable YAML (syntax error, duplicate key, or a file that is not a mapping), at its line |
 * | H502 | error    | `title` missing or empty |
 * | H503 | error    | `query` missing, empty, or not text |
 * | H504 | error    | an invalid ATT&CK id in `tags` (`mitre.T99999`) |
 * | H505 | error    | `last_update` before `created_date` |
 * | H506 | warning  | a date that is neither `YYYY-MM-DD` nor `D-Mon-YYYY` |
 * | H507 | warning  | a key SentinelLabs' Schema.txt calls required is missing or empty (or `tags` has no `mitre.` tag) |
 * | H508 | warning  | an unknown key (kept as it is, never dropped) |
 * | H509 | error    | one of our keys (`id`, `dialect`, `lint`, `tests`) is malformed, so it cannot be honoured |
 * | H510 | error    | the same `id` in two hunts |
 * | H511 | error    | the same title (case-insensitive) in two hunts |
 * | H512 | error    | the same file name (case-insensitive, extension ignored) in two places |
 * | H513 | error    | a hunt test failed: a `match` event did not match, or a `no_match` event matched |
 * | H514 | info     | hunt tests not run (the query engine is not available, or the query has errors) |
 * | H515 | warning  | a `lint` exclusion that excluded nothing |
 * | H516 | warning  | a SentinelLabs key with a value of the wrong shape (`tags` not a list...) |
 * | H517 | info     | the query is not S1QL 1.0 (`dialect: s1ql2` / `pq`) and was not parsed or linted |
 */
export const HuntCodes = {
  yamlSyntax: 'H501',
  missingTitle: 'H502',
  missingQuery: 'H503',
  invalidAttackId: 'H504',
  dateOrder: 'H505',
  badDate: 'H506',
  missingRecommended: 'H507',
  unknownKey: 'H508',
  badOwnKey: 'H509',
  duplicateId: 'H510',
  duplicateTitle: 'H511',
  duplicateFileName: 'H512',
  testFailed: 'H513',
  testsNotRun: 'H514',
  unusedExclusion: 'H515',
  badValue: 'H516',
  dialectNotChecked: 'H517',
} as const;

export type HuntCode = (typeof HuntCodes)[keyof typeof HuntCodes];
