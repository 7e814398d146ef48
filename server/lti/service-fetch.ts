/** One authorized call to an LTI service, with a timeout; failures become ServiceErrors saying what happened. */
import { ServiceError } from "./service-error";
import { forgetServiceTokens } from "./service-token";

export async function serviceFetch(
  platformId: number,
  token: string,
  url: string,
  init: { method?: string; accept: string; contentType?: string; body?: unknown },
): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method ?? "GET",
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: init.accept,
        ...(init.contentType ? { "Content-Type": init.contentType } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new ServiceError(`${url} did not answer (${err instanceof Error ? err.message : String(err)})`);
  }
  if (res.status === 401) forgetServiceTokens(platformId);
  if (!res.ok)
    throw new ServiceError(
      `${init.method ?? "GET"} ${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`,
      res.status,
    );
  return res;
}
