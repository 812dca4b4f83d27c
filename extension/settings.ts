import * as vscode from 'vscode';
import { SETTINGS_SECTION } from './ids';

export type SandboxSetting = 'default' | 'read-only' | 'workspace-write' | 'danger-full-access';
export type ApprovalPolicySetting = 'default' | 'untrusted' | 'on-request' | 'on-failure' | 'never';

/** `codexManager.*` as the code uses it (declared in package.json `contributes.configuration`). */
export interface CodexSettings {
  codexPath: string | undefined;
  codexHome: string | undefined;
  /** Background jobs on BullMQ with this Redis (see the bridge's --redis). */
  redisUrl: string | undefined;
  demoModel: 'auto' | 'on' | 'off';
  defaultSandbox: SandboxSetting;
  approvalPolicy: ApprovalPolicySetting;
  notifyApprovals: boolean;
  /** Minutes the shared bridge waits, with no window, turn or job, before it exits; 0 never. */
  bridgeIdleExitMinutes: number;
}

/** Settings that only take effect when the bridge starts. */
export const BRIDGE_SETTINGS = ['codexPath', 'codexHome', 'demoModel', 'bridgeIdleExitMinutes', 'redisUrl'] as const;

export function readSettings(): CodexSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const text = (key: string): string | undefined => c.get<string>(key)?.trim() || undefined;
  return {
    codexPath: text('codexPath'),
    codexHome: text('codexHome'),
    redisUrl: text('redisUrl'),
    demoModel: c.get<CodexSettings['demoModel']>('demoModel') ?? 'auto',
    defaultSandbox: c.get<SandboxSetting>('defaultSandbox') ?? 'workspace-write',
    approvalPolicy: c.get<ApprovalPolicySetting>('approvalPolicy') ?? 'default',
    notifyApprovals: c.get<boolean>('notifyApprovals') ?? true,
    bridgeIdleExitMinutes: Math.max(0, c.get<number>('bridgeIdleExitMinutes') ?? 10),
  };
}

/** The createSession body the settings ask for ("default" leaves it to the bridge). */
export function sessionOptions(s: CodexSettings): { filesystemSandbox?: Exclude<SandboxSetting, 'default'>; approvalPolicy?: Exclude<ApprovalPolicySetting, 'default'> } {
  return {
    ...(s.defaultSandbox !== 'default' ? { filesystemSandbox: s.defaultSandbox } : {}),
    ...(s.approvalPolicy !== 'default' ? { approvalPolicy: s.approvalPolicy } : {}),
  };
}
