/** Session data `POST /api/sessions` returns (docs/serve.md, schema 1). */
export interface SessionInfo {
  readonly schemaVersion: number;
  readonly sessionId: string;
  readonly stun: { readonly ipv4: readonly string[]; readonly ipv6: readonly string[] };
  readonly seenUrls: readonly string[];
  readonly probeCapMs: number;
}

/** A failed API call, with the service's stable error code when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Same-origin JSON request; throws ApiError with the service's code on a non-2xx answer. */
export async function api<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const response = await fetch(path, {
    method,
    cache: 'no-store',
    credentials: 'same-origin',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    ...(signal ? { signal } : {}),
  });
  const json = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string };
  } | null;
  if (!response.ok) {
    throw new ApiError(
      response.status,
      String(json?.error?.code ?? `HTTP_${response.status}`),
      String(json?.error?.message ?? response.statusText),
    );
  }
  return json as T;
}
