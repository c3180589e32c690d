/** The endpoints the emulator serves, by the short ids used in the call log, rate limits and fault specs. */
export const ENDPOINT_IDS = [
  'init-query',
  'query-status',
  'events',
  'cancel-query',
  'api-token-details',
  'system-status',
] as const;

export type EndpointId = (typeof ENDPOINT_IDS)[number];

export const API_PREFIX = '/web/api/v2.1/';

export interface Route {
  readonly endpoint: EndpointId;
  readonly method: 'GET' | 'POST';
  /** The `{type}` of `dv/events/{type}`. */
  readonly eventType?: string;
}

/** Maps a path to its endpoint, or null for a path the API does not have. */
export function route(pathname: string): Route | null {
  if (!pathname.startsWith(API_PREFIX)) return null;
  const rest = pathname.slice(API_PREFIX.length).replace(/\/+$/, '');
  switch (rest) {
    case 'dv/init-query':
      return { endpoint: 'init-query', method: 'POST' };
    case 'dv/query-status':
      return { endpoint: 'query-status', method: 'GET' };
    case 'dv/events':
      return { endpoint: 'events', method: 'GET' };
    case 'dv/cancel-query':
      return { endpoint: 'cancel-query', method: 'POST' };
    case 'users/api-token-details':
      return { endpoint: 'api-token-details', method: 'POST' };
    case 'system/status':
      return { endpoint: 'system-status', method: 'GET' };
    default:
      break;
  }
  const typed = /^dv\/events\/([^/]+)$/.exec(rest);
  if (typed?.[1]) {
    // A malformed escape (`%E0%A4%A`) names no event type: the route is not found, never an internal error.
    let eventType: string;
    try {
      eventType = decodeURIComponent(typed[1]);
    } catch {
      return null;
    }
    return { endpoint: 'events', method: 'GET', eventType };
  }
  return null;
}
