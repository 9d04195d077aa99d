import { describe, expect, it } from 'vitest';
import { selectEnvironment } from './file.js';
import { parseEnvironmentFile } from './load.js';

const file = (health: string) => `environments:
  production:
    router: { kind: haproxy, socket: /run/haproxy.sock, backend: app }
    pools:
      blue: [10.0.0.11:8080]
      green: [10.0.0.21:8080]
    health:
${health}
`;

describe('health.version-url', () => {
  it('is read as a URL template', () => {
    const environment = selectEnvironment(parseEnvironmentFile(file('      version-url: "http://{address}/version"')), 'production');
    expect(environment.health?.['version-url']).toBe('http://{address}/version');
  });

  it('refuses what is not an http URL, naming the field and line', () => {
    expect(() => parseEnvironmentFile(file('      version-url: "ftp://{address}/version"'), 'cutover.yml')).toThrow(
      'environments.production.health.version-url: "ftp://{address}/version" is not an http or https URL (line 8)',
    );
    expect(() => parseEnvironmentFile(file('      version-url: ""'), 'cutover.yml')).toThrow(
      'environments.production.health.version-url: must not be empty (line 8)',
    );
  });
});
