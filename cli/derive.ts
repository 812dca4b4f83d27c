import { z } from 'zod';
import type { OperationSpec } from '../protocol/operation';
import { COMPAT, GLOBAL_FLAGS } from './compat';
import type { BodySpec, CommandSpec, FlagKind, FlagLocation, FlagSpec, Manifest } from './manifest';

/**
 * Derives the CLI command manifest from the operation table: each operation becomes a
 * command named by compat.ts (else `<domain> <name>`), and its path, query and body
 * fields become kebab-case flags typed and described by their zod schemas (through
 * zod's JSON Schema output). Used by `cli/generate.ts` and the tests, never at run time.
 */

type Json = Record<string, unknown>;

export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
}

export function defaultCommandName(op: Pick<OperationSpec, 'domain' | 'name'>): string {
  return `${kebab(op.domain)} ${kebab(op.name)}`;
}

function toJson(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
}

/** Follows `$ref`s into the root's `$defs`. */
function resolver(root: Json): (s: unknown) => Json {
  const defs = (root.$defs ?? {}) as Record<string, Json>;
  const resolve = (s: unknown): Json => {
    let cur = (s ?? {}) as Json;
    for (let i = 0; i < 20 && typeof cur.$ref === 'string'; i++) {
      const name = cur.$ref.replace(/^#\/\$defs\//, '');
      const { $ref: _ref, ...rest } = cur;
      cur = { ...defs[name], ...rest };
    }
    return cur;
  };
  return resolve;
}

interface Typed {
  kind: FlagKind;
  enum?: string[];
  nullable?: boolean;
  description?: string;
  /** An object with known properties (a candidate for one level of flattening). */
  properties?: Record<string, Json>;
  required?: string[];
}

function typeOf(schema: Json, resolve: (s: unknown) => Json): Typed {
  const s = resolve(schema);
  const description = typeof s.description === 'string' ? s.description : undefined;
  const withDescription = (t: Typed): Typed => (description && !t.description ? { ...t, description } : t);

  const alternatives = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (alternatives) {
    const branches = alternatives.map(resolve);
    const nonNull = branches.filter((b) => b.type !== 'null');
    const nullable = nonNull.length < branches.length;
    if (nonNull.length === 1) return withDescription({ ...typeOf(nonNull[0]!, resolve), ...(nullable ? { nullable } : {}) });
    const types = new Set(nonNull.map((b) => b.type));
    if (types.size === 2 && types.has('boolean') && types.has('string')) return withDescription({ kind: 'boolean' });
    const consts = nonNull.map((b) => b.const);
    if (consts.every((c) => typeof c === 'string')) return withDescription({ kind: 'enum', enum: consts as string[], ...(nullable ? { nullable } : {}) });
    if (types.has('string') && (types.has('array') || types.has('object'))) return withDescription({ kind: 'text-or-json', ...(nullable ? { nullable } : {}) });
    if (types.has('string') && [...types].every((t) => t === 'string' || t === 'integer' || t === 'number')) {
      return withDescription({ kind: 'string', ...(nullable ? { nullable } : {}) });
    }
    return withDescription({ kind: 'json', ...(nullable ? { nullable } : {}) });
  }

  let type = s.type;
  let nullable = false;
  if (Array.isArray(type)) {
    const t = type.filter((x) => x !== 'null');
    nullable = t.length < type.length;
    if (t.length === 2 && t.includes('boolean') && t.includes('string')) return withDescription({ kind: 'boolean' });
    type = t.length === 1 ? t[0] : undefined;
    if (type === undefined) return withDescription({ kind: 'json', nullable });
  }
  const n = nullable ? { nullable } : {};
  if (Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'string')) return withDescription({ kind: 'enum', enum: s.enum as string[], ...n });
  if (typeof s.const === 'string') return withDescription({ kind: 'enum', enum: [s.const], ...n });
  switch (type) {
    case 'string': return withDescription({ kind: 'string', ...n });
    case 'integer': return withDescription({ kind: 'integer', ...n });
    case 'number': return withDescription({ kind: 'number', ...n });
    case 'boolean': return withDescription({ kind: 'boolean', ...n });
    case 'array': {
      const items = resolve(s.items);
      return withDescription({ kind: items.type === 'string' && !items.enum ? 'list' : 'json', ...n });
    }
    case 'object': {
      const properties = s.properties as Record<string, Json> | undefined;
      return withDescription({
        kind: 'json',
        ...n,
        ...(properties && Object.keys(properties).length ? { properties, required: (s.required as string[] | undefined) ?? [] } : {}),
      });
    }
    default:
      return withDescription({ kind: 'any', ...n });
  }
}

const GLOBAL_NAMES = new Set<string>(GLOBAL_FLAGS.map((g) => g.flag));

function objectFlags(schema: z.ZodType | undefined, where: FlagLocation): { flags: FlagSpec[]; required: string[] } {
  if (!schema) return { flags: [], required: [] };
  const root = toJson(schema);
  const resolve = resolver(root);
  const s = resolve(root);
  const props = (s.properties ?? {}) as Record<string, Json>;
  const required = (s.required as string[] | undefined) ?? [];
  const flags = Object.entries(props).map(([field, prop]) => {
    const t = typeOf(prop, resolve);
    return flagOf(field, where, t, required.includes(field) || where === 'path');
  });
  return { flags, required };
}

function flagOf(field: string, where: FlagLocation, t: Typed, required: boolean, when?: string): FlagSpec {
  return {
    name: kebab(field.split('.').pop()!),
    field,
    in: where,
    kind: t.kind,
    ...(t.enum ? { enum: t.enum } : {}),
    ...(required ? { required: true } : {}),
    ...(t.nullable ? { nullable: true } : {}),
    ...(t.description ? { description: t.description } : {}),
    ...(when ? { when } : {}),
  };
}

/** Body flags: object fields (one nested level flattened), or the merged members of a discriminated union. */
function bodyFlags(op: OperationSpec): { flags: FlagSpec[]; body: BodySpec } | undefined {
  if (!op.body) return undefined;
  const root = toJson(op.body);
  const resolve = resolver(root);
  const s = resolve(root);
  const required = Boolean(op.bodyRequired);

  const members = ((s.oneOf ?? s.anyOf) as Json[] | undefined)?.map(resolve);
  if (members && members.every((m) => m.type === 'object' && m.properties)) {
    const first = members[0]!.properties as Record<string, Json>;
    const discriminator = Object.keys(first).find((key) => members.every((m) => typeof resolve((m.properties as Record<string, Json>)[key]).const === 'string'));
    if (discriminator) {
      const flags: FlagSpec[] = [];
      const variants: Record<string, string[]> = {};
      const values: string[] = [];
      for (const m of members) {
        const props = m.properties as Record<string, Json>;
        const value = resolve(props[discriminator]).const as string;
        values.push(value);
        const req = (m.required as string[] | undefined) ?? [];
        variants[value] = req;
        for (const [field, prop] of Object.entries(props)) {
          if (field === discriminator) continue;
          const existing = flags.find((f) => f.field === field);
          if (existing) {
            existing.when = `${existing.when},${value}`;
            continue;
          }
          flags.push(flagOf(field, 'body', typeOf(prop, resolve), req.includes(field), `${discriminator}=${value}`));
        }
      }
      const descriptions = members.map((m) => resolve((m.properties as Record<string, Json>)[discriminator]).description ?? m.description)
        .map((d, i) => (typeof d === 'string' ? `${values[i]}: ${d}` : undefined)).filter(Boolean);
      flags.unshift({
        name: kebab(discriminator), field: discriminator, in: 'body', kind: 'enum', enum: values, required: true,
        ...(descriptions.length ? { description: descriptions.join('; ') } : {}),
      });
      return { flags, body: { required, open: false, discriminator, variants } };
    }
    return { flags: [], body: { required, open: true } };
  }

  const props = s.properties as Record<string, Json> | undefined;
  if (s.type !== 'object' || !props || Object.keys(props).length === 0) return { flags: [], body: { required, open: true } };
  const req = (s.required as string[] | undefined) ?? [];
  const flags: FlagSpec[] = [];
  const requiredFields = [...req];
  const nullDefaults: string[] = [];
  for (const [field, prop] of Object.entries(props)) {
    const t = typeOf(prop, resolve);
    // A parent whose fields have their own flags is not itself required on the command line.
    const flag = flagOf(field, 'body', t, req.includes(field) && !t.properties);
    flags.push(flag);
    if (flag.required && flag.nullable) {
      // codex-manager's CLI sends null for a required nullable field it was not given
      // (`sessions project set` without --project-id, `controls apply` without --model).
      delete flag.required;
      nullDefaults.push(field);
    }
    if (t.properties) {
      // One level of nesting becomes flags too (codex-manager's `sessions controls apply
      // --approval-policy ...` sets `controls.approvalPolicy`); the whole object stays
      // settable with its own flag.
      for (const [sub, subProp] of Object.entries(t.properties)) {
        const st = typeOf(subProp, resolve);
        const required = req.includes(field) && (t.required ?? []).includes(sub);
        const subFlag = flagOf(`${field}.${sub}`, 'body', st, required);
        flags.push(subFlag);
        if (required && st.nullable) {
          delete subFlag.required;
          nullDefaults.push(`${field}.${sub}`);
        } else if (required) {
          requiredFields.push(`${field}.${sub}`);
        }
      }
    }
  }
  return { flags, body: { required, open: false, requiredFields: requiredFields.filter((f) => !nullDefaults.includes(f)), ...(nullDefaults.length ? { nullDefaults } : {}) } };
}

/** Makes flag names unique (a nested or body field that collides gets its parent as prefix) and applies compat spellings. */
function finishFlags(op: OperationSpec, flags: FlagSpec[]): FlagSpec[] {
  const compat = COMPAT[op.id];
  const used = new Set<string>();
  const out: FlagSpec[] = [];
  // Top-level fields claim their names first, so nested fields yield on collision.
  const ordered = [...flags].sort((a, b) => Number(a.field.includes('.')) - Number(b.field.includes('.')));
  for (const f of ordered) {
    let name = compat?.renames?.[f.field] ?? f.name;
    if (used.has(name)) name = kebab(f.field.replace(/\./g, '-'));
    if (used.has(name)) name = `${f.in}-${name}`;
    used.add(name);
    const flag: FlagSpec = { ...f, name };
    if (compat?.csv?.includes(f.field) && f.kind === 'list') flag.csv = true;
    if (compat?.rest === f.field && f.kind === 'list') flag.rest = true;
    if (GLOBAL_NAMES.has(name)) flag.shadowsGlobal = true;
    out.push(flag);
  }
  for (const [name, alias] of Object.entries(compat?.aliases ?? {})) {
    const target = out.find((f) => f.field === alias.field);
    out.push({ name, field: alias.field, in: target?.in ?? 'body', kind: 'boolean', alias: { value: alias.value }, description: alias.help });
  }
  // Restore declaration order (path, query, body; nested fields after their parent).
  const position = new Map(flags.map((f, i) => [f.field + f.in, i]));
  return out.sort((a, b) => (position.get(a.field + a.in) ?? 1e9) - (position.get(b.field + b.in) ?? 1e9));
}

export function deriveCommand(op: OperationSpec): CommandSpec {
  const params = objectFlags(op.params, 'path');
  const query = objectFlags(op.query, 'query');
  const body = bodyFlags(op);
  const flags = finishFlags(op, [...params.flags, ...query.flags, ...(body?.flags ?? [])]);
  const statuses = Object.keys(op.responses).map(Number).sort((a, b) => a - b);
  const compat = COMPAT[op.id];
  const expect = (compat?.expect ?? []).filter((s) => statuses.includes(s));
  return {
    id: op.id,
    command: compat?.command ?? defaultCommandName(op),
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    method: op.method,
    path: op.path,
    flags,
    ...(body ? { body: body.body } : {}),
    expect,
    statuses,
    idempotent: Boolean(op.idempotent),
  };
}

export function deriveManifest(operations: readonly OperationSpec[]): Manifest {
  return { version: 1, commands: operations.map(deriveCommand).sort((a, b) => (a.command < b.command ? -1 : a.command > b.command ? 1 : 0)) };
}
