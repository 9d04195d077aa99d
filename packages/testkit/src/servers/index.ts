export { freePort, makeTempDir } from './temp.js';
export { startBackend, type Backend, type BackendOptions, type BackendControl } from './backend.js';
export { failsAt } from './error-schedule.js';
export { startNginx, nginxUpstreamBlock, NGINX_BINARY, type Nginx, type NginxOptions, type NginxServer } from './nginx.js';
export { startHaproxy, haproxyCommand, HAPROXY_BINARY, type Haproxy, type HaproxyOptions, type HaproxyServer } from './haproxy.js';
export { startPrometheus, PROMETHEUS_BINARY, type Prometheus, type PrometheusOptions } from './prometheus.js';
export { startSshd, SSHD_BINARY, type Sshd, type SshdOptions } from './sshd.js';
export { startPostgres, POSTGRES_ROOT, type Postgres } from './postgres.js';
export { startForwardProxy, type ForwardProxy } from './proxy.js';
// The routers own SSH quoting; re-exported so tests quote exactly as the routers do.
export { shellQuote } from '@cutover/routers';
