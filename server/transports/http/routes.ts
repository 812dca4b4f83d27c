import type { HttpMethod, OperationSpec } from '../../../protocol/operation';

export interface Route {
  spec: OperationSpec;
  pattern: RegExp;
  paramNames: string[];
}

export type RouteMatch =
  | { kind: 'found'; spec: OperationSpec; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allowed: HttpMethod[] }
  | { kind: 'not_found' };

/** Routes derived from the operation table: `{name}` placeholders become one path segment each. */
export class RouteTable {
  private readonly routes: Route[];

  constructor(specs: readonly OperationSpec[]) {
    this.routes = specs.map((spec) => {
      const paramNames: string[] = [];
      const source = spec.path.split('/').map((segment) => {
        const m = segment.match(/^\{(\w+)\}$/);
        if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        paramNames.push(m[1]!);
        return '([^/]+)';
      }).join('/');
      return { spec, pattern: new RegExp(`^${source}/?$`), paramNames };
    });
    // Literal segments beat placeholders (e.g. /sessions/archived vs /sessions/{id}).
    this.routes.sort((a, b) => a.paramNames.length - b.paramNames.length);
  }

  match(method: string, pathname: string): RouteMatch {
    const allowed: HttpMethod[] = [];
    for (const route of this.routes) {
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      if (route.spec.method !== method) {
        allowed.push(route.spec.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.paramNames.forEach((name, i) => { params[name] = safeDecode(m[i + 1]!); });
      return { kind: 'found', spec: route.spec, params };
    }
    return allowed.length ? { kind: 'method_not_allowed', allowed } : { kind: 'not_found' };
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
