export type { CheckedFile, CheckMessage, CheckOptions, CheckResult, HuntCheck } from './check-library.ts';
export { applyHuntExclusions, checkAcross, checkHunt, checkLibrary, dialectNote } from './check-library.ts';
export type { HuntCode } from './codes.ts';
export { HuntCodes } from './codes.ts';
export { readDate } from './dates.ts';
export type { Dialect } from './metadata.ts';
export { ATTACK_ID, HUNT_SCHEMA, KNOWN_KEYS, SCHEMA_REQUIRED } from './metadata.ts';
export type { Hunt, HuntMeta, HuntQuery, HuntTestEvent, HuntTests, LintExclusion } from './read-hunt.ts';
export { readHunt, readYamlValue } from './read-hunt.ts';
