/** Response bodies, copied from the shapes of real API responses (design/DV-API.md, data/dv-api-samples.json). */

export interface Reply {
  readonly status: number;
  /** A JSON value, or the exact text of an HTML page. */
  readonly body: unknown;
  readonly html?: boolean;
  /** The body as bytes made while it is sent, instead of `body`: pages of generated events are streamed. */
  readonly chunks?: Iterable<Uint8Array>;
  readonly headers?: Readonly<Record<string, string>>;
}

function errors(status: number, error: Record<string, unknown>): Reply {
  return { status, body: { errors: [error] } };
}

export const authenticationFailed = (): Reply =>
  errors(401, { code: 4010010, detail: null, title: 'Authentication Failed' });

/** The coded body, or (`detailOnly`) the body other 403s of the same console carry: a detail string alone. */
export const insufficientPermissions = (detailOnly = false): Reply =>
  detailOnly
    ? { status: 403, body: { errors: [{ detail: 'User does not have required permissions.' }] } }
    : errors(403, { code: 4030010, detail: null, title: 'Insufficient permissions' });

export const queryNotFound = (): Reply => errors(404, { code: 4040010, detail: 'Query Not Found' });

export const resourceNotFound = (): Reply =>
  errors(404, { code: 4040010, detail: '', title: 'Requested resource was not found' });

export const validationError = (detail: string): Reply =>
  errors(400, { code: 4000010, detail, title: 'Validation Error' });

/** The marshmallow-style body the API gives for a missing required field (it carries no code). */
export const missingField = (field: string): Reply =>
  ({ status: 400, body: { errors: [{ detail: `${field}: Missing data for required field.` }] } }) as const;

export const badQuery = (message: string): Reply =>
  errors(400, { code: 4000040, detail: `could not parse query: ${message}`, title: 'Bad Request' });

export const methodNotAllowed = (): Reply => errors(405, { code: 4050010, detail: null, title: 'Method Not Allowed' });

function nginxPage(status: number, text: string): string {
  return `<html>\n<head><title>${status} ${text}</title></head>\n<body>\n<center><h1>${status} ${text}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`;
}

export const NGINX_429 = nginxPage(429, 'Too Many Requests');

/** nginx's HTML page, or (`json`) the API's own error envelope. */
export function tooManyRequests(retryAfterSeconds: number | null, json = false): Reply {
  const headers: Record<string, string> =
    retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) };
  if (json) return { ...errors(429, { code: 4290010, detail: null, title: 'Too Many Requests' }), headers };
  return { status: 429, body: NGINX_429, html: true, headers };
}

/** How this console words the answers on which consoles differ (the `variant:` faults). */
export interface BodyVariants {
  readonly json429: boolean;
  readonly detailOnly403: boolean;
}

/** Server errors as the console's edge returns them: JSON from the application, HTML pages from nginx. */
export function serverError(status: number): Reply {
  switch (status) {
    case 500:
      return errors(500, { code: 5000010, detail: null, title: 'Internal server error' });
    case 502:
      return { status, body: nginxPage(502, 'Bad Gateway'), html: true };
    case 503:
      return { status, body: nginxPage(503, 'Service Temporarily Unavailable'), html: true };
    case 504:
      return { status, body: nginxPage(504, 'Gateway Time-out'), html: true };
    default:
      return errors(status, { code: status * 10000 + 10, detail: null, title: 'Error' });
  }
}

export function injectedStatus(status: number, retryAfterSeconds: number | null, variants: BodyVariants): Reply {
  if (status === 429) return tooManyRequests(retryAfterSeconds, variants.json429);
  if (status === 401) return authenticationFailed();
  if (status === 403) return insufficientPermissions(variants.detailOnly403);
  if (status === 404) return queryNotFound();
  if (status >= 500) return serverError(status);
  return errors(status, { code: status * 10000 + 10, detail: null, title: 'Error' });
}
