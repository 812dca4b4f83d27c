import generated from './generated/commands.json';

/**
 * The command manifest: every operation of the table as a CLI command, with its flags,
 * derived from the zod declarations by `cli/derive.ts` and checked in as
 * `cli/generated/commands.json` (a test fails when it is stale). The CLI reads this
 * instead of loading zod and the operation table, so it starts in a few milliseconds.
 */

/** How a flag's text becomes a wire value. */
export type FlagKind =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'enum'
  /** JSON (objects, arrays, unions), or `@file` / `-` (stdin). */
  | 'json'
  /** Any JSON value; text that is not JSON is sent as a string. */
  | 'any'
  /** A list of strings: repeat the flag, or give a JSON array. */
  | 'list'
  /** Text, or JSON when it starts with `[` or `{` (e.g. a config key path). */
  | 'text-or-json';

export type FlagLocation = 'path' | 'query' | 'body';

export interface FlagSpec {
  /** Kebab-case, without the dashes. */
  name: string;
  /** Dotted path of the wire field inside its location, e.g. `controls.model`. */
  field: string;
  in: FlagLocation;
  kind: FlagKind;
  enum?: string[];
  /** Required on the wire (for unions: by the member named in `when`). */
  required?: boolean;
  nullable?: boolean;
  description?: string;
  /** For members of a body union: `discriminator=value` this flag belongs to. */
  when?: string;
  /** Also takes comma-separated values (lists). */
  csv?: boolean;
  /** Also takes the arguments after `--` (lists). */
  rest?: boolean;
  /** A boolean alias flag that sets `field` to `value`. */
  alias?: { value: unknown };
  /** The flag has the name of a global flag; after the command words it means this one. */
  shadowsGlobal?: boolean;
}

export interface BodySpec {
  required: boolean;
  /** The body is an open record or an unknown value: only `--body` sets it. */
  open: boolean;
  /** Required body fields (dotted), for object bodies. */
  requiredFields?: string[];
  /** Required nullable fields sent as null when not given (codex-manager's CLI did so). */
  nullDefaults?: string[];
  /** For discriminated unions: the discriminator and, per value, the required fields. */
  discriminator?: string;
  variants?: Record<string, string[]>;
}

export interface CommandSpec {
  /** The operationId. */
  id: string;
  /** Command words, e.g. `sessions send`. */
  command: string;
  summary: string;
  description?: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The declared path, with the `/api` prefix and `{param}` placeholders. */
  path: string;
  flags: FlagSpec[];
  body?: BodySpec;
  /** Non-2xx statuses that count as success (see compat.ts). */
  expect: number[];
  /** Every status the operation declares. */
  statuses: number[];
  idempotent: boolean;
}

export interface Manifest {
  version: 1;
  commands: CommandSpec[];
}

export const MANIFEST = generated as unknown as Manifest;
