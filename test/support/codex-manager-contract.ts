import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

/**
 * The codex-manager control-plane contract we are compatible with
 * (`../shared/contracts/codex-manager-openapi.json`), as validators: request bodies it
 * accepts and response bodies it promises, per operationId and status.
 */
export interface ContractOperation {
  operationId: string;
  method: string;
  path: string;
  requestBody?: { required?: boolean; schema?: object };
  parameters: { in: string; name: string; required?: boolean; schema?: object }[];
  responses: Record<string, { schema?: object }>;
}

export function contractPath(): string {
  return path.resolve(__dirname, '..', '..', '..', 'shared', 'contracts', 'codex-manager-openapi.json');
}

export class CodexManagerContract {
  readonly operations: ContractOperation[] = [];
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(file = contractPath()) {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      paths: Record<string, Record<string, { operationId: string; parameters?: ContractOperation['parameters']; requestBody?: { required?: boolean; content?: Record<string, { schema?: object }> }; responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
      components: { schemas: Record<string, object> };
    };
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'contract', components: doc.components });
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const body = op.requestBody?.content?.['application/json']?.schema;
        this.operations.push({
          operationId: op.operationId,
          method: method.toUpperCase(),
          path: p,
          parameters: op.parameters ?? [],
          ...(op.requestBody ? { requestBody: { required: op.requestBody.required ?? false, ...(body ? { schema: body } : {}) } } : {}),
          responses: Object.fromEntries(Object.entries(op.responses ?? {}).map(([status, r]) => [status, { ...(r.content?.['application/json']?.schema ? { schema: r.content['application/json'].schema } : {}) }])),
        });
      }
    }
  }

  operation(operationId: string): ContractOperation | undefined {
    return this.operations.find((o) => o.operationId === operationId);
  }

  /** `$ref`s in the contract point at `#/components/...`; rewrite them to the registered document. */
  validator(schema: object): ValidateFunction {
    const key = JSON.stringify(schema);
    let v = this.compiled.get(key);
    if (!v) {
      v = this.ajv.compile(JSON.parse(key.replace(/"#\/components\//g, '"contract#/components/')));
      this.compiled.set(key, v);
    }
    return v;
  }

  /** Problems of a response body against the contract's schema for that status; [] when fine or undeclared. */
  checkResponse(operationId: string, status: number, body: unknown): string[] {
    const schema = this.operation(operationId)?.responses[String(status)]?.schema;
    if (!schema) return [];
    const validate = this.validator(schema);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  }

  /** The resolved schema object for `#/components/schemas/X` references (for sample generation). */
  resolve(schema: object): object {
    const ref = (schema as { $ref?: string }).$ref;
    if (!ref) return schema;
    const id = ref.replace('#/components/schemas/', '');
    return this.resolve((this.ajv.getSchema('contract')!.schema as { components: { schemas: Record<string, object> } }).components.schemas[id]!);
  }
}
