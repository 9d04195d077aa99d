/**
 * The access log Cutover reads nginx's traffic from, one line per request:
 *
 *     log_format cutover '$msec $upstream_addr $upstream_status $upstream_response_time';
 *     access_log /var/log/nginx/cutover.log cutover;
 *
 * When nginx tried several servers for one request, the three upstream variables list them in
 * order ("10.0.0.1:80, 10.0.0.2:80" and "502, 200"; " : " after an internal redirect): each attempt
 * is a request to that server. Pure.
 */
import type { LoggedRequest, ServerTraffic } from '@cutover/config';

export const NGINX_LOG_FORMAT = "log_format cutover '$msec $upstream_addr $upstream_status $upstream_response_time';";

/**
 * The requests of complete lines, per server address, in log order. Lines that are not in the
 * format (another log_format, a request nginx answered itself: "-") are skipped and counted.
 */
export function parseCutoverLog(text: string): { servers: Map<string, LoggedRequest[]>; skipped: number } {
  const servers = new Map<string, LoggedRequest[]>();
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    // $msec, then the three lists; addresses never contain spaces, lists separate with ", " or " : ".
    const match = /^(\d+(?:\.\d+)?) (.+?) ((?:\d{3}|-)(?:(?:, | : )(?:\d{3}|-))*) ((?:[\d.]+|-)(?:(?:, | : )(?:[\d.]+|-))*)$/.exec(line.trim());
    if (!match) {
      skipped += 1;
      continue;
    }
    const addresses = match[2]!.split(/, | : /);
    const statuses = match[3]!.split(/, | : /);
    const times = match[4]!.split(/, | : /);
    if (addresses.length !== statuses.length || addresses.some((address) => !/^[^\s,]+:\d+$/.test(address))) {
      skipped += 1;
      continue;
    }
    addresses.forEach((address, index) => {
      const status = Number(statuses[index]);
      const seconds = Number(times[index]);
      const request: LoggedRequest = { failed: !(status >= 100 && status < 500) };
      if (Number.isFinite(status)) request.status = status;
      if (times[index] !== '-' && Number.isFinite(seconds)) request.latencyMs = Math.round(seconds * 1000 * 10) / 10;
      const entries = servers.get(address) ?? [];
      entries.push(request);
      servers.set(address, entries);
    });
  }
  return { servers, skipped };
}

/** The traffic of each server in the complete lines of `text`. */
export function logTraffic(text: string): ServerTraffic[] {
  const { servers } = parseCutoverLog(text);
  return [...servers].map(([address, log]) => ({ address, requests: log.length, failed: log.filter((request) => request.failed).length, log }));
}
