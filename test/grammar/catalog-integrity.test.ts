/**
 * Integrity of the catalogs in grammar/: both files match their JSON Schemas, and the facts that span entries or
 * files hold (unique names, shortcut members that exist, EventType/ObjectType values in step with
 * event-types.json, every field a real public 1.0 query uses is known).
 */
import { readFileSync } from 'node:fs';
import eventTypesJson from '@s1ql/grammar/event-types.json' with { type: 'json' };
import fieldsJson from '@s1ql/grammar/fields.json' with { type: 'json' };
import eventTypesSchema from '@s1ql/grammar/schema/event-types.schema.json' with { type: 'json' };
import fieldsSchema from '@s1ql/grammar/schema/fields.schema.json' with { type: 'json' };
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';

interface Field {
  name: string;
  type: string;
  enumLike?: true;
  enumValues?: string[];
  objectTypes: string[];
  doc: string;
  s1ql2?: string;
  s1ql2Approximate?: true;
  members?: string[];
  legacy?: { preferred: string[]; reason: string };
  aliases?: string[];
}

interface FieldsFile {
  fields: Field[];
  s1ql2Only: { name: string }[];
}

interface EventTypesFile {
  objectTypes: { name: string; s1ql2Category?: string }[];
  eventTypes: { name: string; objectType: string; s1ql2EventName?: string }[];
}

const catalog = fieldsJson as unknown as FieldsFile;
const eventCatalog = eventTypesJson as unknown as EventTypesFile;
const fields = catalog.fields;
const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));

const S1QL2_NAME = /^[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/;

/** Every name that occurs more than once, ignoring case. */
function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const name of names) {
    const key = name.toLowerCase();
    if (seen.has(key)) dup.add(name);
    seen.add(key);
  }
  return [...dup];
}

function fieldByName(name: string): Field | undefined {
  return byName.get(name.toLowerCase());
}

/** The `name` of the innermost named entry on a JSON Pointer path, to say which entry a schema error is about. */
function entryNameAt(data: unknown, pointer: string): string {
  let node = data;
  let name = '';
  for (const segment of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') break;
    node = (node as Record<string, unknown>)[segment.replaceAll('~1', '/').replaceAll('~0', '~')];
    const candidate = (node as { name?: unknown } | undefined)?.name;
    if (typeof candidate === 'string') name = candidate;
  }
  return name;
}

describe('JSON Schemas', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });

  it.each([
    ['fields.json', fieldsSchema, fieldsJson],
    ['event-types.json', eventTypesSchema, eventTypesJson],
  ])('%s validates against its schema', (_file, schema, data) => {
    const validate = ajv.compile(schema);
    const ok = validate(data);
    const errors = (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'} (${entryNameAt(data, e.instancePath)}) ${e.message} ${JSON.stringify(e.params)}`,
    );
    expect(errors, 'schema violations').toEqual([]);
    expect(ok).toBe(true);
  });
});

describe('fields.json', () => {
  it('has no duplicate names or aliases, ignoring case', () => {
    const names = fields.flatMap((f) => [f.name, ...(f.aliases ?? [])]);
    expect(duplicates(names), 'names used by more than one entry').toEqual([]);
    expect(duplicates(catalog.s1ql2Only.map((f) => f.name)), 'duplicate s1ql2Only names').toEqual([]);
  });

  it('is sorted by name, ignoring case', () => {
    const names = fields.map((f) => f.name);
    const sorted = [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    const misplaced = names.filter((name, i) => name !== sorted[i]);
    expect(misplaced, 'fields out of order').toEqual([]);
  });

  it('gives every enum field at least one value, and only enum fields values', () => {
    const emptyEnums = fields.filter((f) => f.type === 'enum' && !f.enumValues?.length).map((f) => f.name);
    expect(emptyEnums, 'enum fields without enumValues').toEqual([]);
    const stray = fields.filter((f) => f.type !== 'enum' && f.enumValues !== undefined).map((f) => f.name);
    expect(stray, 'non-enum fields with enumValues').toEqual([]);
    const dupValues = fields.filter((f) => duplicates(f.enumValues ?? []).length > 0).map((f) => f.name);
    expect(dupValues, 'enum fields with values repeated ignoring case').toEqual([]);
  });

  it('writes every S1QL 2.0 name well formed', () => {
    const bad = fields
      .filter((f) => f.s1ql2 !== undefined && !S1QL2_NAME.test(f.s1ql2))
      .map((f) => `${f.name}: ${f.s1ql2}`);
    expect(bad, 'malformed s1ql2 names').toEqual([]);
    const dangling = fields.filter((f) => f.s1ql2Approximate && f.s1ql2 === undefined).map((f) => f.name);
    expect(dangling, 's1ql2Approximate without s1ql2').toEqual([]);
  });

  it('maps each exact S1QL 2.0 name back to one 1.0 field', () => {
    const exact = fields.filter((f) => f.s1ql2 !== undefined && !f.s1ql2Approximate).map((f) => f.s1ql2 as string);
    const shared = duplicates(exact).map((dotted) =>
      fields.filter((f) => f.s1ql2?.toLowerCase() === dotted.toLowerCase() && !f.s1ql2Approximate).map((f) => f.name),
    );
    expect(shared, 'fields sharing an exact s1ql2 name (mark all but one s1ql2Approximate)').toEqual([]);
  });

  it('expands shortcuts only to precise fields that exist', () => {
    const problems: string[] = [];
    for (const f of fields) {
      for (const member of f.members ?? []) {
        const target = fieldByName(member);
        if (!target) problems.push(`${f.name}: member ${member} is not a field`);
        else if (target.name !== member) problems.push(`${f.name}: member ${member} is spelled ${target.name}`);
        else if (target.members) problems.push(`${f.name}: member ${member} is itself a shortcut`);
      }
      for (const preferred of f.legacy?.preferred ?? []) {
        if (fieldByName(preferred)?.name !== preferred)
          problems.push(`${f.name}: legacy.preferred ${preferred} is not a field`);
      }
      if (f.members && JSON.stringify(f.legacy?.preferred) !== JSON.stringify(f.members)) {
        problems.push(`${f.name}: legacy.preferred differs from members`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('lists the S1QL.md shortcut fields as shortcuts', () => {
    const expected = ['CmdLine', 'IP', 'Md5', 'Sha1', 'Sha256', 'FilePath', 'UserName', 'Name', 'StorylineId', 'UID'];
    const missing = [...expected, 'DNS', 'ProcessName'].filter((name) => !fieldByName(name)?.members?.length);
    expect(missing, 'shortcut fields without members').toEqual([]);
  });

  it('names only real object types', () => {
    const known = new Set(eventCatalog.objectTypes.map((o) => o.name));
    const problems: string[] = [];
    for (const f of fields) {
      for (const objectType of f.objectTypes) {
        if (objectType !== '*' && !known.has(objectType)) problems.push(`${f.name}: ${objectType}`);
      }
      if (f.objectTypes.includes('*') && f.objectTypes.length > 1) problems.push(`${f.name}: '*' with others`);
    }
    expect(problems, 'unknown object types on fields').toEqual([]);
  });

  it("keeps EventType's and ObjectType's values equal to event-types.json", () => {
    expect(fieldByName('EventType')?.type).toBe('enum');
    expect(fieldByName('ObjectType')?.type).toBe('enum');
    expect(fieldByName('EventType')?.enumValues, 'EventType.enumValues vs eventTypes').toEqual(
      eventCatalog.eventTypes.map((t) => t.name),
    );
    expect(fieldByName('ObjectType')?.enumValues, 'ObjectType.enumValues vs objectTypes').toEqual(
      eventCatalog.objectTypes.map((o) => o.name),
    );
  });
});

describe('event-types.json', () => {
  it('has unique names, ignoring case', () => {
    expect(duplicates(eventCatalog.objectTypes.map((o) => o.name)), 'duplicate object types').toEqual([]);
    expect(duplicates(eventCatalog.eventTypes.map((t) => t.name)), 'duplicate event types').toEqual([]);
  });

  it('gives every event type an object type that exists', () => {
    const known = new Set(eventCatalog.objectTypes.map((o) => o.name));
    const orphans = eventCatalog.eventTypes
      .filter((t) => !known.has(t.objectType))
      .map((t) => `${t.name}: ${t.objectType}`);
    expect(orphans, 'event types with an unknown objectType').toEqual([]);
  });
});

describe('the public corpus', () => {
  interface CorpusRow {
    query: string;
    dialect: string;
    title: string;
    note?: string;
  }

  const rows = readFileSync(new URL('../../../shared/data/s1ql-corpus.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusRow);

  /** Placeholder names from translator unit tests, not real fields. */
  const PLACEHOLDERS = new Set(['field', 'field1', 'field2']);
  /** Keywords and operator words that the pattern below also sees before an operator (`Not In`, `Does Not`). */
  const WORDS = new Set(
    'and or not in is does contains containscis anycase startswith startswithcis endswith endswithcis regexp between exists empty true false like notin'.split(
      ' ',
    ),
  );
  // An identifier (not part of a longer or dotted name) followed by a comparison symbol, or by whitespace and an
  // operator word. String literals are blanked out first, so words inside values never count.
  const FIELD_BEFORE_OPERATOR =
    /(?<![\w.])([A-Za-z_]\w*)(?=\s*(?:!=|<=|>=|=|<|>)|\s+(?:in|not|contains|containscis|startswith|startswithcis|endswith|endswithcis|regexp|between|is|exists|does|like|notin)\b)/gi;

  function fieldNamesIn(query: string): string[] {
    const text = query.replace(/"(?:\\.|[^"\\])*"/g, '""').replace(/--[^\n]*/g, ' ');
    return [...text.matchAll(FIELD_BEFORE_OPERATOR)]
      .map((m) => m[1] as string)
      .filter((name) => !WORDS.has(name.toLowerCase()));
  }

  const known = new Set(fields.flatMap((f) => [f.name, ...(f.aliases ?? [])].map((n) => n.toLowerCase())));
  const usable = rows.filter((r) => r.dialect === 's1ql1' && !(r.note ?? '').includes('malformed'));

  it('holds enough S1QL 1.0 queries to be a meaningful check', () => {
    expect(usable.length).toBeGreaterThan(250);
    const distinct = new Set(usable.flatMap((r) => fieldNamesIn(r.query).map((n) => n.toLowerCase())));
    expect(distinct.size).toBeGreaterThan(60);
  });

  it('uses only field names the catalog knows (as a name or an alias, any case)', () => {
    const unknown = new Map<string, string[]>();
    for (const row of usable) {
      for (const name of fieldNamesIn(row.query)) {
        if (PLACEHOLDERS.has(name) || known.has(name.toLowerCase())) continue;
        unknown.set(name, [...(unknown.get(name) ?? []), row.title]);
      }
    }
    expect(Object.fromEntries(unknown), 'unknown field -> titles of the queries using it').toEqual({});
  });
});
