/**
 * How long the issuer waits on a client, and how many it serves at once. Node's own defaults
 * wait a minute for headers (checked only every 30 s), forever on an idle socket, and take any
 * number of connections: a few hundred stalled sockets would hold the issuer's file descriptors
 * indefinitely.
 */
export interface ServerLimits {
  /** Time to receive a request's headers; the client gets 408 and the connection closes. */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, headers and body (not the time to answer it). */
  readonly requestTimeoutMs: number;
  /** Time a socket may see no traffic either way, an answer in progress included. */
  readonly idleTimeoutMs: number;
  /** Time an idle keep-alive connection stays open between requests. */
  readonly keepAliveTimeoutMs: number;
  /** How often the headers and request timeouts are checked. */
  readonly timeoutCheckIntervalMs: number;
  /** Connections served at once; further ones are closed as they arrive. */
  readonly maxConnections: number;
}

/** The limits the issuer serves with, unless a test shortens them. */
export const SERVER_LIMITS: ServerLimits = {
  /** 10 s: token requests' headers are a few hundred bytes on loopback, sent in one go. */
  headersTimeoutMs: 10_000,
  /** 15 s: a body is at most BODY_LIMIT (64 KiB); this leaves a slow CI machine ample room. */
  requestTimeoutMs: 15_000,
  /** 30 s: above the 20 s an Action may run, so a slow Action's answer still reaches its client. */
  idleTimeoutMs: 30_000,
  /** 5 s: Node's default; Fastify's 72 s suits load balancers, not clients on the same machine. */
  keepAliveTimeoutMs: 5_000,
  /** 1 s: Node's 30 s would let a stalled client stay up to 30 s past its timeout. */
  timeoutCheckIntervalMs: 1_000,
  /**
   * 256: far above what tests and the benchmark open (50), and well below the usual limit of
   * 1024 open files, so a flood of connections cannot starve the issuer of file descriptors.
   */
  maxConnections: 256,
};
