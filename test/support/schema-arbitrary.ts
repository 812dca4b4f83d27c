import fc from 'fast-check';

type Schema = Record<string, unknown>;

/**
 * A fast-check arbitrary of values valid under a JSON Schema (the subset codex-manager's
 * contract uses: types, enums, bounds, objects, arrays, oneOf, $ref), to prove that
 * whatever its clients may send, we accept.
 */
export function arbitraryFor(schema: Schema, resolve: (s: Schema) => Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.oneOf)) return fc.oneof(...(s.oneOf as Schema[]).map((x) => arbitraryFor(x, resolve, depth + 1)));
  if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as Schema[]).map((x) => arbitraryFor(x, resolve, depth + 1)));
  const type = s.type;
  if (Array.isArray(type)) return fc.oneof(...type.map((t) => arbitraryFor({ ...s, type: t }, resolve, depth + 1)));
  switch (type) {
    case 'string': {
      if (s.format === 'date-time') return fc.date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true }).map((d) => d.toISOString());
      const minLength = (s.minLength as number | undefined) ?? 0;
      const maxLength = Math.min((s.maxLength as number | undefined) ?? 40, 60);
      return fc.string({ minLength, maxLength: Math.max(minLength, maxLength) }).filter((x) => x.trim().length >= Math.min(minLength, 1) || minLength === 0);
    }
    case 'integer':
      return fc.integer({ min: (s.minimum as number | undefined) ?? -1000, max: (s.maximum as number | undefined) ?? 1000 });
    case 'number':
      return fc.double({ min: (s.minimum as number | undefined) ?? -1000, max: (s.maximum as number | undefined) ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 4) return fc.constant([]);
      const items = (s.items as Schema | undefined) ?? {};
      return fc.array(arbitraryFor(items, resolve, depth + 1), { minLength: (s.minItems as number | undefined) ?? 0, maxLength: Math.min((s.maxItems as number | undefined) ?? 3, 3) });
    }
    case 'object':
    case undefined: {
      if (!s.properties) return type === 'object' ? fc.constant({}) : fc.jsonValue();
      const props = s.properties as Record<string, Schema>;
      const required = new Set((s.required as string[] | undefined) ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(props)) record[key] = depth > 4 ? fc.constant(null) : arbitraryFor(value, resolve, depth + 1);
      return fc.record(record, { requiredKeys: [...required].filter((k) => k in props) });
    }
    default:
      return fc.jsonValue();
  }
}
