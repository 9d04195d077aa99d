import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, selectEnvironment } from './file.js';
import { loadEnvironment, loadEnvironmentFile, parseEnvironmentFile } from './load.js';

const good = `environments:
  production:
    url: https://app.example.com
    router:
      kind: nginx
      upstream-file: /etc/nginx/conf.d/app-upstream.conf
      upstream: app
      test: [nginx, -t]
      reload: [nginx, -s, reload]
      ssh: { host: lb1.example.com, user: deploy }
    pools:
      blue:  [10.0.0.11:8080]
      green: [10.0.0.21:8080]
    health:
      interval: 5s
      deadline: 10m
      checks:
        - name: healthz
          http: { url: "http://{address}/healthz", expect-status: 200, max-latency: 500ms }
        - name: error-rate
          prometheus: { url: http://prom:9090, query: 'sum(rate(errors{pool="{pool}"}[1m]))', max: 0.01 }
    canary:
      steps: [5, 25, 50, 100]
      step-duration: 1m
    alerts:
      - webhook: { url-env: DEPLOY_WEBHOOK_URL }
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

/** Replaces one line of the good file, keeping the rest, so each case breaks one thing. */
function withLine(from: string, to: string): string {
  expect(good).toContain(from);
  return good.replace(from, to);
}

describe('the environment file', () => {
  it('accepts the file of the product brief', () => {
    const file = parseEnvironmentFile(good);
    const production = selectEnvironment(file, 'production');
    expect(production.name).toBe('production');
    expect(production.router).toMatchObject({ kind: 'nginx', upstream: 'app', test: ['nginx', '-t'] });
    expect(production.pools).toEqual({ blue: ['10.0.0.11:8080'], green: ['10.0.0.21:8080'] });
    expect(production.health?.checks?.map((check) => check.name)).toEqual(['healthz', 'error-rate']);
  });

  it("merges an anchor's fields (<<: *name), kept under a key of its own (x-)", () => {
    const merged = parseEnvironmentFile(
      good
        .replace('environments:\n', 'x-nginx: &nginx\n  kind: nginx\n  test: [nginx, -t]\n  reload: [nginx, -s, reload]\nenvironments:\n')
        .replace('      kind: nginx\n', '      <<: *nginx\n')
        .replace('      test: [nginx, -t]\n      reload: [nginx, -s, reload]\n', ''),
      'cutover.yml',
    );
    expect(merged.environments).toEqual(parseEnvironmentFile(good, 'cutover.yml').environments);
    // Another key of the file's own is refused as before.
    expect(problemOf(`y-nginx: 1\n${good}`)).toBe('cutover.yml: y-nginx: unknown field (expected one of $schema, environments) (line 1)');
  });

  it('accepts percentages up to the bound of their field', () => {
    const loaded = parseEnvironmentFile(withLine('deadline: 10m', 'deadline: 10m\n      error-tolerance: 100%\n      latency-tolerance: 1000%'), 'cutover.yml');
    expect(loaded.environments.production!.health).toMatchObject({ 'error-tolerance': '100%', 'latency-tolerance': '1000%' });
  });

  it('accepts haproxy, symlink and command routers, and normalizes symlink hosts', () => {
    const text = `environments:
  lb:
    router: { kind: haproxy, socket: /run/haproxy/admin.sock, backend: app }
    pools: { blue: [127.0.0.1:8001], green: [127.0.0.1:8002] }
  hosts:
    router:
      kind: symlink
      releases-dir: /srv/app/releases
      current: /srv/app/current
      hosts: [local, web2.example.com, { name: web3, ssh: { host: 10.0.0.3, port: 2222 } }]
      restart: [systemctl, restart, app]
    pools: { v1: [127.0.0.1:9001] }
  custom:
    router: { kind: command, read: [lbctl, get], apply: [lbctl, set, '{split}'] }
    pools: { a: [127.0.0.1:1], b: [127.0.0.1:2] }
`;
    const file = parseEnvironmentFile(text);
    const hosts = selectEnvironment(file, 'hosts').router;
    expect(hosts.kind === 'symlink' && hosts.hosts).toEqual([
      { name: 'local' },
      { name: 'web2.example.com', ssh: { host: 'web2.example.com' } },
      { name: 'web3', ssh: { host: '10.0.0.3', port: 2222 } },
    ]);
  });

  // Each bad file and the exact problem it must be refused with: path, words and line.
  const bad: [string, string, string][] = [
    [
      'an unknown router',
      withLine('kind: nginx', 'kind: traefik'),
      'environments.production.router.kind: expected one of nginx, haproxy, symlink, command, got "traefik" (line 5)',
    ],
    [
      'no router',
      withLine('    router:\n      kind: nginx', '    rooter:\n      kind: nginx'),
      'environments.production.router: is required\nenvironments.production.rooter: unknown field',
    ],
    [
      'a missing pool list',
      withLine('      green: [10.0.0.21:8080]\n', '      green: []\n'),
      'environments.production.pools.green: expected at least 1 item (line 13)',
    ],
    [
      'no pools at all',
      withLine('    pools:\n      blue:  [10.0.0.11:8080]\n      green: [10.0.0.21:8080]\n', ''),
      'environments.production.pools: is required (line 2)',
    ],
    [
      'an address without a port',
      withLine('10.0.0.21:8080', '10.0.0.21'),
      'environments.production.pools.green[0]: expected an address host:port (a name or an IPv4 address, a port from 1 to 65535 without leading zeros), got "10.0.0.21" (line 13)',
    ],
    [
      'an address in two pools',
      withLine('green: [10.0.0.21:8080]', 'green: [10.0.0.11:8080]'),
      'environments.production.pools.green[0]: 10.0.0.11:8080 is also in pool blue; a server belongs to one pool (line 13)',
    ],
    [
      'a shell string instead of argv',
      withLine('test: [nginx, -t]', 'test: nginx -t'),
      'environments.production.router.test: expected a list, got "nginx -t" (line 8)',
    ],
    ['an empty argv', withLine('reload: [nginx, -s, reload]', 'reload: []'), 'environments.production.router.reload: expected at least 1 item (line 9)'],
    ['a duration without a unit', withLine('interval: 5s', 'interval: 5'), 'environments.production.health.interval: expected a string, got 5 (line 15)'],
    [
      'a duration in words',
      withLine('deadline: 10m', 'deadline: ten minutes'),
      'environments.production.health.deadline: expected a duration such as 30s, 1m30s or 10m, got "ten minutes" (line 16)',
    ],
    [
      'steps that do not reach 100',
      withLine('steps: [5, 25, 50, 100]', 'steps: [5, 25, 50]'),
      'environments.production.canary.steps: the last weight must be 100, got 50 (line 23)',
    ],
    [
      'steps that descend',
      withLine('steps: [5, 25, 50, 100]', 'steps: [5, 50, 25, 100]'),
      'environments.production.canary.steps: weights must ascend, but 25 follows 50 (line 23)',
    ],
    [
      'a weight above 100',
      withLine('steps: [5, 25, 50, 100]', 'steps: [5, 150]'),
      'environments.production.canary.steps[1]: must be <= 100, got 150 (line 23)',
    ],
    [
      'a check with two kinds',
      withLine('        - name: healthz\n', '        - name: healthz\n          command: { argv: ["true"] }\n'),
      'environments.production.health.checks[0]: a check needs exactly one of http, traffic, prometheus, command, got http and command (line 18)',
    ],
    [
      'a check with no kind',
      withLine('          http: { url: "http://{address}/healthz", expect-status: 200, max-latency: 500ms }\n', ''),
      'environments.production.health.checks[0]: a check needs exactly one of http, traffic, prometheus, command (line 18)',
    ],
    [
      'two checks with one name',
      withLine('- name: error-rate', '- name: healthz'),
      'environments.production.health.checks[1].name: another check is already named "healthz" (line 20)',
    ],
    [
      'a URL that is not one',
      withLine('url: "http://{address}/healthz"', 'url: "not a url"'),
      'environments.production.health.checks[0].http.url: "not a url" is not an http or https URL (line 19)',
    ],
    [
      'an environment URL that is not one',
      withLine('url: https://app.example.com', 'url: ftp://app.example.com'),
      'environments.production.url: "ftp://app.example.com" is not an http or https URL (line 3)',
    ],
    [
      'a prometheus check without a limit',
      withLine(', max: 0.01 }', ' }'),
      'environments.production.health.checks[1].prometheus: needs a limit: one of min, max, max-increase, max-decrease (line 21)',
    ],
    [
      'a status range upside down',
      withLine('expect-status: 200', 'expect-status: 299-200'),
      'environments.production.health.checks[0].http.expect-status: the range 299-200 is empty (line 19)',
    ],
    [
      'too many requests per probe',
      withLine('max-latency: 500ms }', 'max-latency: 500ms, requests: 1000 }'),
      'environments.production.health.checks[0].http.requests: must be <= 100, got 1000 (line 19)',
    ],
    [
      'a negative latency tolerance',
      withLine('deadline: 10m', 'deadline: 10m\n      latency-tolerance: -1'),
      'environments.production.health.latency-tolerance: expected a share such as 0.01 or "1%", got -1 (line 17)',
    ],
    // The percentage's pattern takes any number: the bound is the number form's (1, or 10 for a
    // latency tolerance). canary-step took "150%" and moved traffic before refusing it.
    [
      'an error tolerance over 100%',
      withLine('deadline: 10m', 'deadline: 10m\n      error-tolerance: 150%'),
      'environments.production.health.error-tolerance: expected a share from 0 to 1 such as 0.01 or "1%", got "150%" (line 17)',
    ],
    [
      'a latency tolerance over 1000%',
      withLine('deadline: 10m', 'deadline: 10m\n      latency-tolerance: 1001%'),
      'environments.production.health.latency-tolerance: expected a share from 0 to 10 such as 0.01 or "1%", got "1001%" (line 17)',
    ],
    [
      "a check's error rate over 100%",
      withLine('max-latency: 500ms }', 'max-latency: 500ms, max-error-rate: 100.5% }'),
      'environments.production.health.checks[0].http.max-error-rate: expected a share from 0 to 1 such as 0.01 or "1%", got "100.5%" (line 19)',
    ],
    // A pool's address reaches nginx's configuration and HAProxy's commands as it is.
    [
      'an address that would comment out the rest of an nginx server line',
      withLine('      green: [10.0.0.21:8080]', '      green: ["#x:80"]'),
      'environments.production.pools.green[0]: expected an address host:port (a name or an IPv4 address, a port from 1 to 65535 without leading zeros), got "#x:80" (line 13)',
    ],
    [
      "an address that would close nginx's upstream block",
      withLine('      green: [10.0.0.21:8080]', '      green: ["x;}server{y:80"]'),
      'environments.production.pools.green[0]: expected an address host:port',
    ],
    [
      'port 0',
      withLine('      green: [10.0.0.21:8080]', '      green: [10.0.0.21:0]'),
      'environments.production.pools.green[0]: expected an address host:port',
    ],
    [
      'port 99999',
      withLine('      green: [10.0.0.21:8080]', '      green: [10.0.0.21:99999]'),
      'environments.production.pools.green[0]: expected an address host:port',
    ],
    [
      'a server twice in one pool',
      withLine('      green: [10.0.0.21:8080]', '      green: [10.0.0.21:8080, 10.0.0.21:8080]'),
      'environments.production.pools.green[1]: 10.0.0.21:8080 is listed twice in pool green (line 13)',
    ],
    [
      'a weight in nginx server options (Cutover writes it)',
      withLine('      upstream: app', '      upstream: app\n      server-options: "max_fails=0 weight=5"'),
      'environments.production.router.server-options: weight is written by Cutover from the split; leave it out (line 8)',
    ],
    [
      'a bare word in nginx server options',
      withLine('      upstream: app', '      upstream: app\n      server-options: "max_fails=0 backup"'),
      'environments.production.router.server-options: expected nginx server parameters such as "max_fails=0 fail_timeout=5s", got "max_fails=0 backup" (line 8)',
    ],
    [
      'an nginx server option given twice',
      withLine('      upstream: app', '      upstream: app\n      server-options: "max_fails=0 max_fails=1"'),
      'environments.production.router.server-options: max_fails is given twice (line 8)',
    ],
    [
      'a duration under a millisecond',
      withLine('interval: 5s', 'interval: 0.4ms'),
      'environments.production.health.interval: expected a duration of at least 1ms, got "0.4ms" (line 15)',
    ],
    // One problem, not every kind's fields: the `if` of each kind requires the kind.
    ['a router without its kind', withLine('      kind: nginx\n', ''), 'environments.production.router.kind: is required (line 4)'],
    [
      'a bad status code',
      withLine('expect-status: 200', 'expect-status: 600'),
      'environments.production.health.checks[0].http.expect-status: must be <= 599, got 600 (line 19)',
    ],
    [
      'a status range in another form',
      withLine('expect-status: 200', 'expect-status: "2xx"'),
      'environments.production.health.checks[0].http.expect-status: expected a range such as 200-299, got "2xx" (line 19)',
    ],
    [
      'a merge of something other than a mapping',
      `x-list: &list [1]\n${good.replace('      kind: nginx\n', '      kind: nginx\n      <<: *list\n')}`,
      'environments.production.router.<<: merges a mapping (or a list of mappings) into this one; *anchor names something else (line 7)',
    ],
    [
      'a list of status codes with one that is text',
      withLine('expect-status: 200', 'expect-status: [200, "201"]'),
      'environments.production.health.checks[0].http.expect-status[1]: expected a whole number, got "201" (line 19)',
    ],
    [
      'a status code that is true',
      withLine('expect-status: 200', 'expect-status: true'),
      'environments.production.health.checks[0].http.expect-status: expected a status code, a list of codes, or a range such as 200-299, got true (line 19)',
    ],
    [
      'an alert with no receiver',
      withLine('- webhook: { url-env: DEPLOY_WEBHOOK_URL }', '- {}'),
      'environments.production.alerts[0]: must not be empty (line 26)',
    ],
    [
      'an alert env var that is a URL',
      withLine('url-env: DEPLOY_WEBHOOK_URL', 'url-env: https://hooks.example.com/x'),
      'environments.production.alerts[0].webhook.url-env: expected the name of an environment variable, got "https://hooks.example.com/x" (line 26)',
    ],
    [
      'an unknown field in the router',
      withLine('upstream: app', 'upstream: app\n      upsteam-name: app'),
      'environments.production.router.upsteam-name: unknown field (expected one of kind, ssh, upstream-file, upstream, test, reload, server-options, access-log, instances) (line 8)',
    ],
    [
      'a missing upstream file',
      withLine('      upstream-file: /etc/nginx/conf.d/app-upstream.conf\n', ''),
      'environments.production.router.upstream-file: is required (line 4)',
    ],
    [
      'an ssh port out of range',
      withLine('user: deploy }', 'user: deploy, port: 70000 }'),
      'environments.production.router.ssh.port: must be <= 65535, got 70000 (line 10)',
    ],
    [
      'an ssh host that ssh would read as an option',
      withLine('host: lb1.example.com', 'host: -oProxyCommand=touch'),
      'environments.production.router.ssh.host: expected a name that does not start with "-" and has no spaces, got "-oProxyCommand=touch" (line 10)',
    ],
    [
      'a pool name with a space',
      withLine('      blue:  [10.0.0.11:8080]', '      "blue pool":  [10.0.0.11:8080]'),
      'environments.production.pools.blue pool: expected a name of letters, digits, ".", "_" and "-", got "blue pool" (line 12)',
    ],
    ['an empty file', '', 'is empty (or holds only comments); expected a mapping with environments:'],
    ['a file of comments', '# nothing yet\n', 'is empty (or holds only comments); expected a mapping with environments:'],
    ['two YAML documents', `${good}---\n${good}`, 'holds more than one YAML document (a "---" line starts another); the environment file is one (line 27)'],
    ['no environments', 'environment:\n  production: {}\n', 'environments: is required (line 1)\nenvironment: unknown field'],
    ['malformed YAML', 'environments:\n  production:\n    router: [nginx\n', 'not valid YAML'],
    ['a duplicated key', withLine('      upstream: app\n', '      upstream: app\n      upstream: web\n'), 'not valid YAML: Map keys must be unique (line 8)'],
    [
      'an haproxy backend that would start another runtime command',
      withLine(
        '      kind: nginx\n      upstream-file: /etc/nginx/conf.d/app-upstream.conf\n      upstream: app\n      test: [nginx, -t]\n      reload: [nginx, -s, reload]\n',
        '      kind: haproxy\n      socket: /run/haproxy.sock\n      backend: "web;set server web/b1 addr 127.0.0.66 port 80"\n',
      ),
      'environments.production.router.backend: expected a name of letters, digits, ".", ":", "_" and "-", got "web;set server web/b1 addr 127.0.0.66 port 80" (line 7)',
    ],
    [
      'an haproxy backend with a new line',
      withLine(
        '      kind: nginx\n      upstream-file: /etc/nginx/conf.d/app-upstream.conf\n      upstream: app\n      test: [nginx, -t]\n      reload: [nginx, -s, reload]\n',
        '      kind: haproxy\n      socket: /run/haproxy.sock\n      backend: "web\\nset server web/b1 state maint"\n',
      ),
      'environments.production.router.backend: expected a name of letters, digits',
    ],
    [
      'nginx server options that are configuration of their own',
      withLine('reload: [nginx, -s, reload]', 'reload: [nginx, -s, reload]\n      server-options: \'max_fails=0; hash "#"; server 127.0.0.66:80 weight=100;\''),
      'environments.production.router.server-options: expected nginx server parameters such as "max_fails=0 fail_timeout=5s"',
    ],
    [
      'an access log path with shell characters',
      withLine('reload: [nginx, -s, reload]', 'reload: [nginx, -s, reload]\n      access-log: "/var/log/x.log; rm -rf /"'),
      'environments.production.router.access-log: expected an absolute path of letters, digits and "_.@+/-"',
    ],
    [
      'a max-error-rate that is no share',
      withLine('max-latency: 500ms }', 'max-latency: 500ms, max-error-rate: "lots" }'),
      'environments.production.health.checks[0].http.max-error-rate: expected a share such as 0.01 or "1%", got "lots" (line 19)',
    ],
    [
      'a prometheus check with a query and counters',
      withLine(', max: 0.01 }', ", max: 0.01, requests: 'sum(r)' }"),
      'environments.production.health.checks[1].prometheus: has query and counters (requests, errors): choose one form (line 21)',
    ],
    [
      'prometheus counters without errors',
      withLine('query: \'sum(rate(errors{pool="{pool}"}[1m]))\', max: 0.01 }', "requests: 'sum(r)' }"),
      'environments.production.health.checks[1].prometheus: counters need both requests and errors (line 21)',
    ],
    [
      'a traffic check with an unknown field',
      withLine('          http: { url: "http://{address}/healthz", expect-status: 200, max-latency: 500ms }', '          traffic: { max-error-rates: 1% }'),
      'environments.production.health.checks[0].traffic.max-error-rates: unknown field (expected one of max-error-rate, max-latency) (line 19)',
    ],
    [
      'an interval longer than any job (it overflowed the timer)',
      withLine('interval: 5s', 'interval: 600h'),
      'environments.production.health.interval: "600h" is longer than 120h, the longest a job may run; expected at most 120h (line 15)',
    ],
    [
      'a check timeout longer than any job',
      withLine('max-latency: 500ms }', 'max-latency: 500ms, timeout: 121h }'),
      'environments.production.health.checks[0].http.timeout: "121h" is longer than 120h, the longest a job may run; expected at most 120h (line 19)',
    ],
    [
      'a step duration longer than any job',
      withLine('step-duration: 1m', 'step-duration: 7201m'),
      'environments.production.canary.step-duration: "7201m" is longer than 120h, the longest a job may run; expected at most 120h (line 24)',
    ],
    [
      'an alias bomb',
      withLine(
        '    canary:\n',
        `    x: &a [a, a, a, a, a, a, a, a, a, a]\n    y: &b [${Array(10).fill('*a').join(', ')}]\n    z: &c [${Array(10).fill('*b').join(', ')}]\n    w: [${Array(10).fill('*c').join(', ')}]\n    canary:\n`,
      ),
      'environments.production.w[0]: not read: Excessive alias count indicates a resource exhaustion attack; *c here stands for about 1.1e+3 values. Write the values out instead of aliasing aliases (line 25)',
    ],
    [
      "an haproxy socket carrying socat options (over SSH it is socat's address)",
      withLine(
        '      kind: nginx\n      upstream-file: /etc/nginx/conf.d/app-upstream.conf\n      upstream: app\n      test: [nginx, -t]\n      reload: [nginx, -s, reload]\n',
        '      kind: haproxy\n      socket: "/run/haproxy.sock,fork"\n      backend: app\n',
      ),
      'environments.production.router.socket: expected a unix socket path or host:port, got "/run/haproxy.sock,fork" (line 6)',
    ],
    [
      'a symlink releases-dir with shell characters',
      withLine(
        '      kind: nginx\n      upstream-file: /etc/nginx/conf.d/app-upstream.conf\n      upstream: app\n      test: [nginx, -t]\n      reload: [nginx, -s, reload]\n',
        '      kind: symlink\n      releases-dir: "/srv/$(reboot)"\n      current: /srv/current\n      hosts: [local]\n',
      ),
      'environments.production.router.releases-dir: expected an absolute path of letters, digits and "_.@+/-", got "/srv/$(reboot)" (line 6)',
    ],
    [
      'a symlink host probe that is no URL',
      withLine(
        '      kind: nginx\n      upstream-file: /etc/nginx/conf.d/app-upstream.conf\n      upstream: app\n      test: [nginx, -t]\n      reload: [nginx, -s, reload]\n',
        '      kind: symlink\n      releases-dir: /srv/releases\n      current: /srv/current\n      hosts: [{ name: web1, probe: "web1:8080/ready" }]\n',
      ),
      'environments.production.router.hosts[0].probe: "web1:8080/ready" is not an http or https URL (line 8)',
    ],
    [
      'a pagerduty url that is no URL',
      withLine('- webhook: { url-env: DEPLOY_WEBHOOK_URL }', '- pagerduty: { routing-key-env: PD_KEY, url: "events.example.com" }'),
      'environments.production.alerts[0].pagerduty.url: "events.example.com" is not an http or https URL',
    ],
    [
      'haproxy without a socket',
      withLine(
        '      kind: nginx\n      upstream-file: /etc/nginx/conf.d/app-upstream.conf\n      upstream: app\n      test: [nginx, -t]\n      reload: [nginx, -s, reload]\n',
        '      kind: haproxy\n      backend: app\n',
      ),
      'environments.production.router.socket: is required (line 4)',
    ],
  ];

  // Each line of `message` is in one problem of the refusal, in order, and the refusal has no other
  // (a part alone let an extra, misleading problem through: "refuses a bad name once").
  it.each(bad)('refuses %s, naming the field', (_, text, message) => {
    const problems = problemOf(text)
      .replace(/^cutover\.yml: /, '')
      .split('\n');
    const expected = message.split('\n');
    expect(problems, problems.join('\n')).toHaveLength(expected.length);
    expected.forEach((part, index) => expect(problems[index]).toContain(part));
  });

  // ajv reports a name that propertyNames refuses twice: the keyword of propertyNames' schema that
  // refused it, at the mapping's path with the name beside it, then propertyNames. The first was
  // worded as the mapping's own fault ("pools: expected a name ..., got a mapping").
  it('refuses a bad name once, at the name', () => {
    expect(problemOf(withLine('      blue:  [10.0.0.11:8080]', '      "blue pool":  [10.0.0.11:8080]'))).toBe(
      'cutover.yml: environments.production.pools.blue pool: expected a name of letters, digits, ".", "_" and "-", got "blue pool" (line 12)',
    );
    expect(problemOf(good.replace('  production:', '  "prod uction":'))).toBe(
      'cutover.yml: environments.prod uction: expected a name of letters, digits, ".", "_" and "-", got "prod uction" (line 2)',
    );
  });

  it('has at least twenty bad files', () => {
    expect(bad.length).toBeGreaterThanOrEqual(20);
  });

  it('refuses a key that is a collection, at its field, and prints nothing of the file on stderr', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const problem = problemOf(good.replace('    pools:\n', '    pools:\n      ? [ "::error::x" ]\n      : [10.0.0.31:8080]\n'));
      expect(problem).toBe(
        'cutover.yml: environments.production.pools.[ "::error::x" ]: expected a name of letters, digits, ".", "_" and "-", got "[ \\"::error::x\\" ]" (line 12)',
      );
      expect(warn).not.toHaveBeenCalled();
      expect(emit).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      emit.mockRestore();
    }
  });

  it('names the environments it has when asked for another', () => {
    const file = parseEnvironmentFile(good);
    expect(() => selectEnvironment(file, 'staging')).toThrow('environment: "staging" is not in environments (it has: production)');
    // A name every object has is not an environment (these crashed the actions).
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
      expect(() => selectEnvironment(file, name)).toThrow(`environment: "${name}" is not in environments (it has: production)`);
  });

  it('reads the file from the workspace and says when it is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cutover-config-'));
    await writeFile(join(dir, 'cutover.yml'), good);
    const production = await loadEnvironment('production', 'cutover.yml', dir);
    expect(production.router.kind).toBe('nginx');
    await expect(loadEnvironmentFile('nope.yml', dir)).rejects.toThrow(
      'nope.yml: cannot read the environment file (no such file); set the config input to its path',
    );
  });
});
