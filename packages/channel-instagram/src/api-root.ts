import { IgApiClient } from 'instagram-private-api';

export const DEFAULT_API_ROOT = 'https://i.instagram.com/';

const pinned = Symbol('loket.instagram.apiRoot');

type PinnableRequest = IgApiClient['request'] & { [pinned]?: string };

/**
 * Points a client at `apiRoot` (Instagram itself by default, the fake in tests). instagram-private-api
 * has no base-URL option: `Request.send` merges `baseUrl: 'https://i.instagram.com/'` over
 * `request.defaults`, so only the options of each call can override it, and this wraps `send` once to
 * add them. Signing, cookies, JSON-bigint parsing and error mapping all still run in the library.
 *
 * Cookies need a second, smaller change. The jar stores cookies under the host that set them, but
 * the library reads csrftoken, ds_user_id and mid back through `state.extractCookie`, which asks the
 * jar for `state.constants.HOST` only. A fake cannot set cookies for i.instagram.com from 127.0.0.1
 * (the jar refuses a foreign Domain), so the state's HOST is pinned to `apiRoot` instead. `constants`
 * is a per-client property holding the library's shared module object, so it is replaced by a copy
 * rather than edited, which would change every client in the process. HOST is read nowhere else. For
 * the default root both changes are no-ops.
 */
export function pinApiRoot(ig: IgApiClient, apiRoot: string): void {
  const url = new URL(apiRoot);
  if (ig.state.constants.HOST !== apiRoot) {
    ig.state.constants = { ...ig.state.constants, HOST: apiRoot };
  }
  const request = ig.request as PinnableRequest;
  if (request[pinned] !== undefined) return;
  request[pinned] = apiRoot;
  const send = request.send.bind(request);
  request.send = ((options, onlyCheckHttpStatus) =>
    send(
      // The library's own Host header names i.instagram.com whatever the URL; keep it truthful.
      { ...options, baseUrl: apiRoot, headers: { ...options.headers, Host: url.host } },
      onlyCheckHttpStatus,
    )) as typeof request.send;
}

/** A client with the device derived from the username, so a restored session keeps its device. */
export function createClient(username: string, apiRoot: string): IgApiClient {
  const ig = new IgApiClient();
  ig.state.generateDevice(username);
  pinApiRoot(ig, apiRoot);
  return ig;
}
