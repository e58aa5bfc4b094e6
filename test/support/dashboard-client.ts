/** Talking to the dashboard over HTTP as a browser would, for access and input tests. */

/** A browser-like client: keeps the session cookie and the page's CSRF token. */
export class DashboardClient {
  cookie = '';
  token = '';
  constructor(private readonly base: string, private readonly headers: Record<string, string> = {}) {}

  async send(method: string, path: string, form: Record<string, string> = {}): Promise<Response> {
    const body = method === 'POST' ? new URLSearchParams({ _csrf: this.token, ...form }) : undefined;
    const response = await fetch(`${this.base}${path}`, {
      method, body, redirect: 'manual',
      headers: { ...this.headers, ...(this.cookie ? { cookie: this.cookie } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    const set = response.headers.getSetCookie().find((line) => line.startsWith('ferry_session='));
    if (set) this.cookie = set.split(';')[0];
    return response;
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
