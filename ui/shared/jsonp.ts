/**
 * JSONP, as the Mesos web UI reads an agent's `/files/*`: the agent is another origin (its own
 * port), and its JSON endpoints answer `callback(json);` when asked with `jsonp=callback`, so a
 * page can read a sandbox without the agent sending CORS headers. A script request carries the
 * browser's credentials for the agent's origin (Basic auth it signed in with there), so an agent
 * with --authenticate_http_readonly serves a browser that has signed in to it.
 */
let next = 0;

export function jsonp<T>(url: string, timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const name = `mesosRefJsonp${++next}`;
    const script = document.createElement('script');
    const w = window as unknown as Record<string, unknown>;
    const done = () => {
      clearTimeout(timer);
      delete w[name];
      script.remove();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no answer from ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    w[name] = (value: T) => {
      done();
      resolve(value);
    };
    script.onerror = () => {
      done();
      // A script load tells nothing of why it failed: a 401 from an agent with
      // --authenticate_http_readonly looks like a 404. A browser answers an agent's Basic
      // challenge for a script only with credentials it already holds for the agent's origin (it
      // does not prompt for another origin's subresource), hence the advice.
      reject(
        new Error(
          `${url} did not answer: the agent may be down, the path not in a sandbox, or the agent may want credentials (--authenticate_http_readonly): open ${new URL(url).origin}/files/browse once in this browser to sign in to it`,
        ),
      );
    };
    script.src = `${url}${url.includes('?') ? '&' : '?'}jsonp=${name}`;
    document.head.appendChild(script);
  });
}
