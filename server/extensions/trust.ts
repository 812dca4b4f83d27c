/**
 * Trust modes, checked against what a module's manifest declares:
 * - `disabled`: no checks;
 * - `warn`: undeclared events and actions are allowed and reported;
 * - `enforced`: a module registering an undeclared event is not loaded, and an
 *   undeclared action is refused (`forbidden`, code `undeclared_capability`).
 * `*` in a declaration allows everything of that kind.
 */
import type { Capabilities, TrustEvaluation, TrustMode } from './types';

const allows = (declared: readonly string[], value: string) => declared.includes('*') || declared.includes(value);

export function evaluateModuleTrust(mode: TrustMode, name: string, declared: Capabilities | null, registeredEvents: readonly string[]): TrustEvaluation {
  if (mode === 'disabled') return { mode, status: 'accepted', warnings: [], errors: [] };
  const problems: string[] = [];
  if (!declared) problems.push(`extension ${name} declares no capabilities in its manifest`);
  for (const event of new Set(registeredEvents)) {
    if (!allows(declared?.events ?? [], event)) problems.push(`extension ${name} registered undeclared event capability: ${event}`);
  }
  if (problems.length === 0) return { mode, status: 'accepted', warnings: [], errors: [] };
  return mode === 'enforced' ? { mode, status: 'denied', warnings: [], errors: problems } : { mode, status: 'accepted_with_warnings', warnings: problems, errors: [] };
}

export function checkAction(mode: TrustMode, name: string, declared: Capabilities | null, actionType: string): { allowed: boolean; reason: string | null } {
  if (mode === 'disabled' || allows(declared?.actions ?? [], actionType)) return { allowed: true, reason: null };
  const reason = `extension ${name} did not declare action capability: ${actionType}`;
  return mode === 'enforced' ? { allowed: false, reason } : { allowed: true, reason };
}
