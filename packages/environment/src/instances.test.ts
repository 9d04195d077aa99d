// Router instances in the environment file: the router's fields shared, each instance's over them,
// a required field in the router or in every instance, every value under its kind's pattern.
import { describe, expect, it } from 'vitest';
import { mergeInstance, routerInstances } from '@cutover/config';
import { ConfigError, selectEnvironment } from './file.js';
import { parseEnvironmentFile } from './load.js';

const file = (router: string) => `environments:
  production:
    router:
${router
  .trim()
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
    pools: { blue: [10.0.0.11:8080], green: [10.0.0.21:8080] }
`;

function problemOf(text: string): string {
  try {
    parseEnvironmentFile(text, 'cutover.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
}

const haproxyPair = `
kind: haproxy
backend: app
ssh: { user: deploy, port: 2222 }
instances:
  - name: lb-a
    ssh: { host: lb-a.internal }
    socket: /run/haproxy/admin.sock
  - name: lb-b
    ssh: { host: lb-b.internal }
    socket: 127.0.0.1:9999
`;

describe('router instances', () => {
  it('load: each instance is its complete config, ssh merged field by field', () => {
    const router = selectEnvironment(parseEnvironmentFile(file(haproxyPair)), 'production').router;
    expect(routerInstances(router)).toEqual([
      {
        name: 'lb-a',
        config: { kind: 'haproxy', backend: 'app', socket: '/run/haproxy/admin.sock', ssh: { host: 'lb-a.internal', user: 'deploy', port: 2222 } },
      },
      { name: 'lb-b', config: { kind: 'haproxy', backend: 'app', socket: '127.0.0.1:9999', ssh: { host: 'lb-b.internal', user: 'deploy', port: 2222 } } },
    ]);
  });

  it('merge: the instance wins, the router fills in, `instances` and `name` stay out', () => {
    const router = {
      kind: 'nginx',
      upstream: 'app',
      'upstream-file': '/etc/nginx/app.conf',
      reload: ['nginx', '-s', 'reload'],
      instances: [{ name: 'b', reload: ['systemctl', 'reload', 'nginx'] }],
    };
    expect(mergeInstance(router, router.instances[0]!)).toEqual({
      kind: 'nginx',
      upstream: 'app',
      'upstream-file': '/etc/nginx/app.conf',
      reload: ['systemctl', 'reload', 'nginx'],
    });
    expect(routerInstances({ kind: 'nginx' })).toBeUndefined();
    // Unnamed instances go by their place.
    expect(routerInstances({ kind: 'nginx', instances: [{}, {}] })!.map((instance) => instance.name)).toEqual(['instances[0]', 'instances[1]']);
  });

  it('refuse a required field in neither the router nor an instance, naming the instance, the field and the line', () => {
    expect(problemOf(file(haproxyPair.replace('    socket: 127.0.0.1:9999\n', '')))).toBe(
      'cutover.yml: environments.production.router.instances[1].socket: is required, in the router or in every instance (line 11)',
    );
  });

  it('accept a required field given once in the router for every instance', () => {
    const text = file(`
kind: nginx
upstream: app
upstream-file: /etc/nginx/conf.d/app-upstream.conf
instances:
  - { name: a, ssh: { host: lb-a }, reload: [nginx, -s, reload] }
  - { name: b, ssh: { host: lb-b } }
`);
    const router = selectEnvironment(parseEnvironmentFile(text), 'production').router;
    expect(routerInstances(router)!.map((instance) => instance.config['upstream-file'])).toEqual([
      '/etc/nginx/conf.d/app-upstream.conf',
      '/etc/nginx/conf.d/app-upstream.conf',
    ]);
  });

  it("still require the kind's fields, and an ssh host, from a router without instances", () => {
    expect(problemOf(file('kind: haproxy\nbackend: app'))).toBe('cutover.yml: environments.production.router.socket: is required (line 3)');
    expect(problemOf(file('kind: haproxy\nbackend: app\nsocket: /run/h.sock\nssh: { user: deploy }'))).toBe(
      'cutover.yml: environments.production.router.ssh.host: is required (line 7)',
    );
  });

  it("refuse an instance without a host when the router's ssh has none", () => {
    expect(problemOf(file(haproxyPair.replace('    ssh: { host: lb-b.internal }\n', '')))).toBe(
      "cutover.yml: environments.production.router.instances[1].ssh.host: is required, in the router's ssh or in every instance's (line 11)",
    );
  });

  it("hold every instance value to its kind's pattern: socat options, a shell in a path, an ssh option as a host", () => {
    expect(problemOf(file(haproxyPair.replace('127.0.0.1:9999', '"/run/h.sock,fork"')))).toBe(
      'cutover.yml: environments.production.router.instances[1].socket: expected a unix socket path or host:port, got "/run/h.sock,fork" (line 13)',
    );
    expect(problemOf(file(haproxyPair.replace('lb-b.internal', '-oProxyCommand=reboot')))).toContain(
      'environments.production.router.instances[1].ssh.host: expected a name that does not start with "-"',
    );
    expect(
      problemOf(
        file(`
kind: nginx
upstream: app
instances:
  - { upstream-file: "/etc/nginx/a.conf; rm -rf /" }
`),
      ),
    ).toContain('environments.production.router.instances[0].upstream-file: expected an absolute path');
  });

  it('refuse unknown fields, a name twice and a name with a space', () => {
    expect(problemOf(file(haproxyPair.replace('    socket: 127.0.0.1:9999', '    sockets: 127.0.0.1:9999')))).toContain(
      'environments.production.router.instances[1].sockets: unknown field',
    );
    expect(problemOf(file(haproxyPair.replace('name: lb-b', 'name: lb-a')))).toBe(
      'cutover.yml: environments.production.router.instances[1].name: another instance is already named "lb-a" (line 11)',
    );
    expect(problemOf(file(haproxyPair.replace('name: lb-b', 'name: "lb b"')))).toContain(
      'environments.production.router.instances[1].name: expected a name of letters',
    );
  });

  it('refuse instances on a symlink router: its hosts are the fleet, and a canary step is whole hosts of one list', () => {
    const symlinkFleet = file(`
kind: symlink
releases-dir: /srv/app/releases
current: /srv/app/current
hosts: [web1, web2]
instances:
  - { name: eu }
  - { name: us, hosts: [web3, web4] }
`);
    expect(problemOf(symlinkFleet)).toBe(
      'cutover.yml: environments.production.router.instances: a symlink router has no instances: list every machine under hosts (one symlink router is already a fleet of hosts, moved in batches) (line 9)',
    );
  });

  it('symlink hosts: a mapping is told what is wrong with it, a value of neither form what a host is', () => {
    const hosts = (value: string) =>
      problemOf(file(`kind: symlink\nreleases-dir: /srv/r\ncurrent: /srv/c\nhosts: [${value}]`))
        .replace(/^cutover\.yml: /, '')
        .split('\n')
        .map((line) => line.replace(/^environments\.production\.router\./, '').replace(/ \(line \d+\)$/, ''));
    expect(hosts('{ nmae: web1 }')).toEqual(['hosts[0].name: is required', expect.stringMatching(/^hosts\[0\]\.nmae: unknown field \(expected one of name, /)]);
    expect(hosts('7')).toEqual(['hosts[0]: expected "local", an SSH host name, or a host mapping, got 7']);
    // Each host's own errors: the forms' schema paths are the same for every host.
    expect(hosts('{ nmae: a }, 42, "-x"')).toEqual([
      'hosts[0].name: is required',
      expect.stringMatching(/^hosts\[0\]\.nmae: unknown field/),
      'hosts[1]: expected "local", an SSH host name, or a host mapping, got 42',
      'hosts[2]: expected a name that does not start with "-" and has no spaces, got "-x"',
    ]);
  });

  it('symlink batch: a number or a percentage', () => {
    const batch = (value: string) => file(`kind: symlink\nreleases-dir: /srv/r\ncurrent: /srv/c\nhosts: [web1]\nbatch: ${value}`);
    expect(selectEnvironment(parseEnvironmentFile(batch('"25%"')), 'production').router.batch).toBe('25%');
    expect(selectEnvironment(parseEnvironmentFile(batch('3')), 'production').router.batch).toBe(3);
    // A value of one form's type is told that form's fault; one of neither, what the field takes.
    const said = (bad: string) =>
      problemOf(batch(bad))
        .replace(/^cutover\.yml: environments\.production\.router\./, '')
        .replace(/ \(line \d+\)$/, '');
    expect(said('0')).toBe('batch: must be >= 1, got 0');
    expect(said('"0%"')).toBe('batch: expected a percentage of the hosts such as "25%", got "0%"');
    expect(said('"101%"')).toBe('batch: expected a percentage of the hosts such as "25%", got "101%"');
    expect(said('"25"')).toBe('batch: expected a percentage of the hosts such as "25%", got "25"');
    expect(said('1.5')).toBe('batch: expected a number of hosts, or a percentage of them such as "25%", got 1.5');
    expect(said('[1]')).toBe('batch: expected a number of hosts, or a percentage of them such as "25%", got a list');
  });
});
