/**
 * JSONP, as the Mesos web UI reads an agent's `/files/*`: the agent is another origin (its own
 * port), and its JSON endpoints answer `callback(json);` when asked with `jsonp=callback`, so a
 * page can read a sandbox without the agent sending CORS headers.
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
      reject(new Error(`${url} did not answer (the agent may be down, or the path is not in a sandbox)`));
    };
    script.src = `${url}${url.includes('?') ? '&' : '?'}jsonp=${name}`;
    document.head.appendChild(script);
  });
}
