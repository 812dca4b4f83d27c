import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ResponseSpec<S extends z.ZodType = z.ZodType> {
  description: string;
  schema: S;
}

export type ResponsesSpec = Record<number, ResponseSpec>;

/**
 * One operation, declared once. Everything else is derived from this: the HTTP route
 * and its validation, OpenAPI, the editor RPC method (`codex/<id>`), the CLI command,
 * the Python method and models. Schemas describe the wire; `responses` lists every
 * status the operation can answer with, each with its body schema.
 */
export interface OperationSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends ResponsesSpec = ResponsesSpec,
> {
  /** OpenAPI operationId: codex-manager's for the compatible operations. */
  id: string;
  /** Client grouping and method name, e.g. `sessions` + `send_message`. */
  domain: string;
  name: string;
  method: HttpMethod;
  /** Path with `{param}` placeholders, including the `/api` prefix. */
  path: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Whether a request must carry a body (only meaningful with `body`). */
  bodyRequired?: boolean;
  responses: R;
  /** Safe to retry automatically (clients use this). */
  idempotent?: boolean;
}

type Part<S> = NonNullable<S> extends z.ZodType ? z.output<NonNullable<S>> : Record<string, never>;

export type InputOf<O extends OperationSpec> = {
  params: Part<O['params']>;
  query: Part<O['query']>;
  /** An optional body that was not sent is parsed from `{}`, so handlers always get one. */
  body: NonNullable<O['body']> extends z.ZodType ? z.output<NonNullable<O['body']>> : undefined;
};

/** What a handler returns: one of the declared statuses with its body. */
export type ReplyOf<O extends OperationSpec> = {
  [S in keyof O['responses'] & number]: { status: S; body: z.input<O['responses'][S]['schema']> };
}[keyof O['responses'] & number];

export function defineOperation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends ResponsesSpec>(
  spec: OperationSpec<P, Q, B, R>,
): OperationSpec<P, Q, B, R> {
  return spec;
}
