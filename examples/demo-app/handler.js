// The demo application: one request handler. Each host's server loads it from the release that
// the host's `current` link names, so switching the link switches the code.
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

let served = 0;

export function handle(request, response) {
  served += 1;
  if (request.url === '/version') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    return response.end(`${version}\n`);
  }
  if (request.url === '/healthz') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    return response.end('ok\n');
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ app: 'demo-app', version, served }));
}

export { version };
