// One demo "machine": serves the release its `current` link names. The link is read on every
// request, so moving it (as the symlink router does) switches the code this host runs.
// Usage: node host-server.mjs <name> <current-link> <port>; prints "listening <address>".
import { createServer } from 'node:http';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [name, current, port] = process.argv.slice(2);
const handlers = new Map();

async function handlerFor(release) {
  if (!handlers.has(release)) handlers.set(release, import(pathToFileURL(join(release, 'handler.js')).href));
  return handlers.get(release);
}

const server = createServer(async (request, response) => {
  let release;
  try {
    release = realpathSync(current);
  } catch {
    response.writeHead(503, { 'content-type': 'text/plain' });
    return response.end(`${name}: no release deployed\n`);
  }
  try {
    const { handle } = await handlerFor(release);
    response.setHeader('x-host', name);
    handle(request, response);
  } catch (error) {
    response.writeHead(500, { 'content-type': 'text/plain' });
    response.end(`${name}: ${error.message}\n`);
  }
});
server.keepAliveTimeout = 1000;
server.listen(Number(port), '127.0.0.1', () => console.log(`listening 127.0.0.1:${server.address().port}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
