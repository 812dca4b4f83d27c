/**
 * Finding extension modules and reading their manifests. A module is a folder with an
 * `extension.manifest.json` (name, version, agentId, entrypoints.events, capabilities)
 * and an events module (`events.mjs` / `events.js`) exporting registerAgentEvents. A folder
 * without a manifest still loads (identity from its folder name, no declared capabilities,
 * which trust mode `enforced` refuses).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Capabilities, ModuleLoadError, OriginType } from './types';

const ManifestSchema = z.looseObject({
  name: z.string().min(1),
  version: z.string().min(1),
  agentId: z.string().min(1).optional(),
  displayName: z.string().optional(),
  runtime: z.looseObject({ coreApiVersion: z.number().optional(), coreApiVersionRange: z.string().optional() }).optional(),
  entrypoints: z.looseObject({ events: z.string().min(1).optional() }).optional(),
  capabilities: z.looseObject({ events: z.array(z.string()).default([]), actions: z.array(z.string()).default([]) }).optional(),
});

export interface ExtensionSource { type: OriginType; path: string }

export interface Candidate {
  moduleName: string;
  root: string;
  origin: ExtensionSource;
}

export interface ResolvedModule {
  moduleName: string;
  name: string;
  version: string;
  agentId: string;
  displayName: string;
  manifestPath: string | null;
  entrypointPath: string;
  origin: ExtensionSource;
  capabilities: Capabilities | null;
  diagnostics: string[];
}

const PRECEDENCE: Record<OriginType, number> = { repo_local: 0, installed_package: 1, configured_root: 2 };

/** Every module folder under the roots, repo-local first; a name seen twice keeps its first. */
export function discover(sources: readonly ExtensionSource[]): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  const ordered = [...sources].sort((a, b) => PRECEDENCE[a.type] - PRECEDENCE[b.type] || a.path.localeCompare(b.path));
  for (const source of ordered) {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(source.path, { withFileTypes: true }); } catch { continue; }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const root = path.join(source.path, entry.name);
      const looksLikeModule = ['extension.manifest.json', 'events.mjs', 'events.js'].some((f) => fs.existsSync(path.join(root, f)));
      if (!looksLikeModule || seen.has(entry.name)) continue;
      seen.add(entry.name);
      out.push({ moduleName: entry.name, root, origin: source });
    }
  }
  return out;
}

/** The module's identity, entrypoint and declared capabilities, or why it cannot load. */
export function resolveModule(candidate: Candidate): ResolvedModule | ModuleLoadError {
  const manifestPath = path.join(candidate.root, 'extension.manifest.json');
  let manifest: z.infer<typeof ManifestSchema> | undefined;
  if (fs.existsSync(manifestPath)) {
    let raw: unknown;
    try { raw = JSON.parse(fs.readFileSync(manifestPath, 'utf8')); } catch (error) {
      return { extension: candidate.moduleName, code: 'invalid_manifest', message: `extension.manifest.json is not JSON: ${(error as Error).message}` };
    }
    const parsed = ManifestSchema.safeParse(raw);
    if (!parsed.success) {
      return { extension: candidate.moduleName, code: 'invalid_manifest', message: `extension.manifest.json: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
    }
    manifest = parsed.data;
  }
  const declared = manifest?.entrypoints?.events;
  const entry = declared ? path.resolve(candidate.root, declared) : ['events.mjs', 'events.js'].map((f) => path.join(candidate.root, f)).find((p) => fs.existsSync(p));
  // The entrypoint must stay inside the module's folder.
  if (!entry || !fs.existsSync(entry) || path.relative(candidate.root, entry).startsWith('..')) {
    return { extension: candidate.moduleName, code: 'missing_entrypoint', message: `no events module (${declared ?? 'events.mjs or events.js'}) in ${candidate.root}` };
  }
  const diagnostics: string[] = [];
  const range = manifest?.runtime?.coreApiVersionRange;
  if (manifest?.runtime?.coreApiVersion !== undefined && manifest.runtime.coreApiVersion !== 1) diagnostics.push(`declares coreApiVersion ${manifest.runtime.coreApiVersion}; this bridge implements 1`);
  if (range && !/(^|\s)>=\s*1\b/.test(range) && !/^\s*1(\.|\s|$)/.test(range)) diagnostics.push(`coreApiVersionRange ${range} may not include 1`);
  return {
    moduleName: candidate.moduleName,
    name: manifest?.name ?? candidate.moduleName,
    version: manifest?.version ?? '0.0.0',
    agentId: manifest?.agentId ?? candidate.moduleName,
    displayName: manifest?.displayName ?? manifest?.name ?? candidate.moduleName,
    manifestPath: manifest ? manifestPath : null,
    entrypointPath: entry,
    origin: candidate.origin,
    capabilities: manifest?.capabilities ? { events: [...manifest.capabilities.events], actions: [...manifest.capabilities.actions] } : null,
    diagnostics,
  };
}
