// The slice of Auth0's post-login (v3) `event` and `api` that our Actions use, as docs/auth0-facts.md
// describes them. Fields Auth0 always sends are required; everything read from metadata is `unknown`
// because users and back offices put anything there.

export interface PostLoginEvent {
  user: {
    user_id: string;
    app_metadata?: Record<string, unknown>;
    user_metadata?: Record<string, unknown>;
    [field: string]: unknown;
  };
  client: { client_id: string; name: string; metadata?: Record<string, string> };
  authorization?: { roles?: unknown };
  resource_server?: { identifier: string };
  secrets?: Record<string, string>;
  /** protocol is "oauth2-refresh-token" when a refresh token is exchanged, an OIDC/OAuth flow otherwise. */
  transaction?: { protocol?: string; [field: string]: unknown };
  [field: string]: unknown;
}

export interface PostLoginApi {
  access: { deny(reason: string): PostLoginApi };
  idToken: { setCustomClaim(name: string, value: unknown): PostLoginApi };
  accessToken: {
    setCustomClaim(name: string, value: unknown): PostLoginApi;
    addScope(scope: string): PostLoginApi;
    removeScope(scope: string): PostLoginApi;
  };
  user: {
    setAppMetadata(key: string, value: unknown): PostLoginApi;
    setUserMetadata(key: string, value: unknown): PostLoginApi;
  };
  cache: {
    get(key: string): { value: string; expires_at: number } | undefined;
    set(key: string, value: string, options?: { ttl?: number; expires_at?: number }): { type: "success" | "error" };
    delete(key: string): { type: "success" | "error" };
  };
}

export type PostLoginHandler = (event: PostLoginEvent, api: PostLoginApi) => Promise<void>;
