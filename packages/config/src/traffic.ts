/**
 * Users' own requests as a load balancer counted them: what a router's traffic reader gives and a
 * `traffic` health check judges. Types only: routers produce them, health consumes them.
 */

/** One request a load balancer logged (nginx's access log). */
export interface LoggedRequest {
  /** A 5xx, or no answer from the server. */
  failed: boolean;
  status?: number;
  latencyMs?: number;
}

/** What a load balancer counted for one server since the previous read. */
export interface ServerTraffic {
  /** host:port, as the environment's pools name servers. */
  address: string;
  requests: number;
  failed: number;
  /** Each request in order, when the load balancer logs them (then requests = log.length). */
  log?: LoggedRequest[];
  /** The load balancer's own mean response time (HAProxy: over the server's last 1,024 requests). */
  meanLatencyMs?: number;
}

export interface TrafficReader {
  /** One line for logs: which counters, where. */
  describe(): string;
  /**
   * What every server took since the previous call; the first call sets the starting point and
   * returns what it can (counters: nothing yet). Throws when the counters cannot be read.
   */
  read(): Promise<ServerTraffic[]>;
}
