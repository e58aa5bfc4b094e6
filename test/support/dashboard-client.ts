/** Talking to the dashboard over HTTP as a browser would, for access and input tests. */

/** A browser-like client: keeps the session cookie, the CSRF cookie and the page's CSRF token. */
export class DashboardClient {
  cookie = '';
  csrfCookie = '';
  token = '';
  constructor(private readonly base: string, private readonly headers: Record<string, string> = {}) {}

  async send(method: string, path: string, form: Record<string, string> = {}): Promise<Response> {
    const body = method === 'POST' ? new URLSearchParams({ _csrf: this.token, ...form }) : undefined;
    const response = await fetch(`${this.base}${path}`, {
      method, body, redirect: 'manual',
      headers: { ...this.headers, ...this.cookieHeader(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    const set = (name: string) => response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`))?.split(';')[0];
    this.cookie = set('ferry_session') ?? this.cookie;
    this.csrfCookie = set('ferry_csrf') ?? this.csrfCookie;
    return response;
  }

  private cookieHeader(): { cookie?: string } {
    const cookies = [this.cookie, this.csrfCookie].filter(Boolean);
    return cookies.length ? { cookie: cookies.join('; ') } : {};
  }

  /** Loads a page and keeps its CSRF token. */
  async page(path: string): Promise<string> {
    const html = await (await this.send('GET', path)).text();
    this.token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.token;
    return html;
  }

  async logIn(name: string, password: string): Promise<Response> {
    await this.page('/login');
    const response = await this.send('POST', '/login', { username: name, password });
    if (response.status === 303) await this.page('/staff');
    return response;
  }
}
