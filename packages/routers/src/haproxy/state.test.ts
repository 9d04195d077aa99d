import { describe, expect, it } from 'vitest';
import { haproxySplit, parseServersState, serversByPool } from './state.js';

// As HAProxy 2.6 answers `show servers state app` (blue1 ready, green1 drained, old1 in maintenance).
const reply = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 app 1 blue1 127.0.0.1 2 0 100 100 0 1 0 2 0 0 0 0 - 37915 - 0 0 - - 0
3 app 2 green1 127.0.0.1 2 8 1 1 0 1 0 2 0 0 0 0 - 33879 - 0 0 - - 0
3 app 3 old1 10.0.0.9 0 1 5 5 0 1 0 2 0 0 0 0 app-old.internal 8080 - 0 0 - - 0

`;

describe('show servers state', () => {
  it('reads names, addresses, weights and admin states', () => {
    expect(parseServersState(reply)).toEqual([
      { backend: 'app', name: 'blue1', address: '127.0.0.1:37915', fqdn: undefined, weight: 100, admin: 'ready', running: true },
      { backend: 'app', name: 'green1', address: '127.0.0.1:33879', fqdn: undefined, weight: 1, admin: 'drain', running: true },
      { backend: 'app', name: 'old1', address: '10.0.0.9:8080', fqdn: 'app-old.internal:8080', weight: 5, admin: 'maint', running: false },
    ]);
  });

  it('maps servers to pools by address or declared name, and drained servers carry no share', () => {
    const servers = parseServersState(reply);
    const byPool = serversByPool(servers, { blue: ['127.0.0.1:37915'], green: ['127.0.0.1:33879'], old: ['app-old.internal:8080'], none: ['1.2.3.4:5'] });
    expect(Object.fromEntries(Object.entries(byPool).map(([pool, list]) => [pool, list.map((s) => s.name)]))).toEqual({
      blue: ['blue1'],
      green: ['green1'],
      old: ['old1'],
      none: [],
    });
    expect(haproxySplit(byPool)).toEqual({ blue: 100, green: 0, old: 0, none: 0 });
  });

  it('refuses a reply that is not a server state table', () => {
    expect(() => parseServersState("Can't find backend.\n")).toThrow(/unexpected reply.*Can't find backend/);
  });
});
