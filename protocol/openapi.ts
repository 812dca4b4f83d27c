import { z } from 'zod';
import type { OperationSpec } from './operation';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

/** Statuses the HTTP transport itself can answer for any operation, documented on each. */
const TRANSPORT_RESPONSES: Record<number, string> = {
  401: 'Missing or wrong bearer token',
  403: 'Host or Origin not allowed',
  500: 'Internal error',
};
const BODY_RESPONSES: Record<number, string> = {
  400: 'Invalid request (input failed validation or the body is not JSON)',
  413: 'Request body too large',
};

const ERROR_REF = { $ref: '#/components/schemas/ApiError' };

function namedSchemas(): Map<string, z.ZodType> {
  // zod's global registry holds every schema declared with `.meta({ id })`: our components.
  return (z.globalRegistry as unknown as { _idmap: Map<string, z.ZodType> })._idmap;
}

function shapeOf(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
  return shape ?? {};
}

/**
 * The OpenAPI 3.1 document, derived from the operation table: paths, parameters, bodies
 * and every response status with its schema. Named zod schemas (`.meta({id})`) become
 * components; everything else is inlined. zod 4 emits JSON Schema 2020-12, which OpenAPI
 * 3.1 uses as is.
 */
export function buildOpenApiDocument(operations: readonly OperationSpec[], info: { version: string }): Record<string, unknown> {
  const named = namedSchemas();
  const idOf = new Map<z.ZodType, string>([...named].map(([id, s]) => [s, id]));
  const slotId = (op: OperationSpec, part: string) => `__${op.id}__${part}`;

  const convert = (io: Io): Record<string, JsonSchema> => {
    const registry = z.registry<{ id: string }>();
    for (const [id, schema] of named) registry.add(schema, { id });
    const slot = (op: OperationSpec, part: string, schema: z.ZodType | undefined) => {
      if (schema && !idOf.has(schema)) registry.add(schema, { id: slotId(op, part) });
    };
    for (const op of operations) {
      for (const [name, s] of Object.entries(shapeOf(op.params))) slot(op, `path_${name}`, s);
      for (const [name, s] of Object.entries(shapeOf(op.query))) slot(op, `query_${name}`, s);
      slot(op, 'body', op.body);
      for (const [status, r] of Object.entries(op.responses)) slot(op, `response_${status}`, r.schema);
    }
    // A plain z.object ignores unknown keys when it parses (as codex-manager does), so it is
    // open in both directions; zod would mark it closed in output mode only.
    const override = (ctx: { zodSchema: unknown; jsonSchema: JsonSchema }) => {
      const def = (ctx.zodSchema as { _zod?: { def?: { type?: string; catchall?: unknown } } })._zod?.def;
      if (def?.type === 'object' && def.catchall === undefined && ctx.jsonSchema.additionalProperties === false) delete ctx.jsonSchema.additionalProperties;
    };
    const { schemas } = z.toJSONSchema(registry, { io, unrepresentable: 'any', override, uri: (id) => `#/components/schemas/${id}` });
    for (const s of Object.values(schemas)) { delete s.$schema; delete s.$id; }
    // A zod schema object used in two slots (e.g. one `actor` field shared by two
    // operations) is emitted once and referenced by its first slot's id; slots are not
    // components, so such references are inlined.
    const inlineSlots = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(inlineSlots);
      if (node === null || typeof node !== 'object') return node;
      const ref = (node as { $ref?: unknown }).$ref;
      if (typeof ref === 'string' && ref.startsWith('#/components/schemas/__')) return inlineSlots(schemas[ref.slice('#/components/schemas/'.length)]);
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inlineSlots(v)]));
    };
    return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, inlineSlots(s) as JsonSchema]));
  };
  const input = convert('input');
  const output = convert('output');

  const components: Record<string, JsonSchema> = {};
  for (const id of named.keys()) {
    // A named schema is one component, so it must read the same in requests and responses.
    if (JSON.stringify(input[id]) !== JSON.stringify(output[id])) {
      throw new Error(`named schema ${id} differs between input and output (a transform or coercion); keep those out of named schemas`);
    }
    components[id] = output[id]!;
  }
  const ref = (op: OperationSpec, part: string, schema: z.ZodType, io: Io): JsonSchema => {
    const id = idOf.get(schema);
    return id ? { $ref: `#/components/schemas/${id}` } : (io === 'input' ? input : output)[slotId(op, part)]!;
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters = [
      ...Object.entries(shapeOf(op.params)).map(([name, s]) => parameter('path', name, true, s, ref(op, `path_${name}`, s, 'input'))),
      ...Object.entries(shapeOf(op.query)).map(([name, s]) => parameter('query', name, !s.safeParse(undefined).success, s, ref(op, `query_${name}`, s, 'input'))),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = { description: r.description, content: { 'application/json': { schema: ref(op, `response_${status}`, r.schema, 'output') } } };
    }
    const extra = { ...TRANSPORT_RESPONSES, ...(op.body || op.params || op.query ? BODY_RESPONSES : {}) };
    for (const [status, description] of Object.entries(extra)) {
      responses[status] ??= { description, content: { 'application/json': { schema: ERROR_REF } } };
    }
    const operation: Record<string, unknown> = {
      operationId: op.id,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.domain],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: Boolean(op.bodyRequired), content: { 'application/json': { schema: ref(op, 'body', op.body, 'input') } } } } : {}),
      responses,
      'x-codex-manager': { domain: op.domain, name: op.name, idempotent: Boolean(op.idempotent) },
    };
    (paths[op.path] ??= {})[op.method.toLowerCase()] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Codex Manager Bridge API',
      version: info.version,
      description: 'A compatible superset of the codex-manager control-plane API, served by the Codex Manager bridge. Generated from the operation table; do not edit.',
    },
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'The token in the bridge data dir (file mode 0600)' } },
      schemas: components,
    },
  };
}

function parameter(where: 'path' | 'query', name: string, required: boolean, schema: z.ZodType, json: JsonSchema): Record<string, unknown> {
  const description = schema.description ?? (json.description as string | undefined);
  return { in: where, name, required, ...(description ? { description } : {}), schema: json };
}
