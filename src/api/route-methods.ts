// The methods each address of the API answers, so that a call with another method is told
// 405 and which ones it may use (RFC 9110 §15.5.6), rather than 404 as if the address were not there.

interface RouteShape {
  pattern: RegExp;
  methods: Set<string>;
}

export class RouteMethods {
  private readonly routes = new Map<string, RouteShape>();

  /** A route as the router has it: `/api/v1/customers/:id/tags`. */
  add(url: string, method: string | readonly string[]): void {
    const shape = this.routes.get(url) ?? { pattern: patternOf(url), methods: new Set<string>() };
    for (const one of typeof method === 'string' ? [method] : method) shape.methods.add(one.toUpperCase());
    this.routes.set(url, shape);
  }

  /** The methods some route answers at this path (without its query), in a stable order; none when no route has the path. */
  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const shape of this.routes.values()) if (shape.pattern.test(path)) for (const method of shape.methods) methods.add(method);
    return ORDER.filter((method) => methods.has(method));
  }
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function patternOf(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}$`);
}
