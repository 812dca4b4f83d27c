/**
 * The one-line explanations of approval policies and sandboxes: the palette pickers show
 * them, and package.json's `enumDescriptions` say the same (kept in step by a unit test).
 */
export const APPROVAL_POLICIES = {
  untrusted: 'Ask before anything that is not a known-safe read (most careful).',
  'on-request': 'Codex decides when to ask; it asks before leaving the sandbox.',
  'on-failure': 'Run in the sandbox; ask only when a command fails there.',
  never: 'Never ask; failures go back to the model. Use with care.',
} as const;

export const SANDBOXES = {
  'read-only': 'Codex may read files; every change and command outside the sandbox asks for approval.',
  'workspace-write': 'Codex may change files in the workspace without asking.',
  'danger-full-access': 'No sandbox at all. Use with care.',
} as const;

export type ApprovalPolicy = keyof typeof APPROVAL_POLICIES;
export type Sandbox = keyof typeof SANDBOXES;
