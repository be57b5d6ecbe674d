// A 3-node JetStream cluster of real nats-server processes (Debian's, /usr/sbin/nats-server) for the cluster tests
// and the NATS benchmark: free loopback ports (client, route and monitoring ports, none fixed), a temporary store
// directory per node, routes to each other. Nodes are started, SIGKILLed and restarted by PID; every process is
// killed when the suite ends, and on process exit as a last resort, so none outlives its run.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/free-port.js';
import { NATS_SERVER_BIN } from './nats-server-process.js';

export interface ClusterNode {
  /** The server name, as JetStream reports a stream's leader: `n1`, `n2`, `n3`. */
  readonly name: string;
  readonly port: number;
  /** `127.0.0.1:<port>`, for `connect({ servers })`. */
  readonly url: string;
  /** The PID of the running process, or undefined while the node is down. */
  readonly pid: number | undefined;
}

export interface NatsCluster {
  readonly nodes: readonly ClusterNode[];
  /** Every node's client URL, for `connect({ servers })`. */
  readonly servers: string[];
  /** Resolves once every running node is up and JetStream has a meta leader seen by all of them. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGKILL, no goodbye: the node's clients and peers see it vanish. */
  kill(name: string): Promise<void>;
  /** Starts a killed node again on the same ports and store directory. */
  restart(name: string): Promise<void>;
  /** Stops every node and removes the store directories. */
  dispose(): Promise<void>;
}

interface NodeState {
  readonly name: string;
  readonly port: number;
  readonly routePort: number;
  readonly httpPort: number;
  readonly storeDir: string;
  child: ChildProcess | undefined;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts three nodes and waits until the cluster has elected its JetStream meta leader. */
export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const nodes: NodeState[] = [];
  for (let i = 1; i <= size; i++) {
    nodes.push({
      name: `n${i}`,
      port: await freePort(),
      routePort: await freePort(),
      httpPort: await freePort(),
      storeDir: mkdtempSync(join(tmpdir(), `teei-nats-cluster-n${i}-`)),
      child: undefined,
    });
  }
  const routes = nodes.map((n) => `nats://127.0.0.1:${n.routePort}`).join(',');
  const nodeOf = (name: string): NodeState => {
    const node = nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no cluster node named ${name}`);
    return node;
  };

  const launch = (node: NodeState): void => {
    const child = spawn(
      NATS_SERVER_BIN,
      [
        ...['-a', '127.0.0.1', '-p', String(node.port), '-m', String(node.httpPort)],
        ...['-js', '-sd', node.storeDir, '--server_name', node.name],
        ...['--cluster_name', 'teei', '--cluster', `nats://127.0.0.1:${node.routePort}`, '--routes', routes],
      ],
      { stdio: 'ignore' },
    );
    live.add(child);
    child.once('exit', () => live.delete(child));
    node.child = child;
  };

  const kill = async (node: NodeState): Promise<void> => {
    const child = node.child;
    node.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  };

  const ready = async (timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const running = nodes.filter((n) => n.child !== undefined);
      const leaders = await Promise.all(running.map((n) => metaLeader(n.httpPort)));
      if (leaders.every((leader) => leader !== undefined && leader === leaders[0])) return;
      for (const node of running) {
        if (node.child?.exitCode !== null) throw new Error(`nats-server ${node.name} exited during start-up`);
      }
      if (Date.now() > deadline) throw new Error(`the NATS cluster had no JetStream leader within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  for (const node of nodes) launch(node);
  const cluster: NatsCluster = {
    get nodes() {
      return nodes.map((n) => ({ name: n.name, port: n.port, url: `127.0.0.1:${n.port}`, pid: n.child?.pid }));
    },
    servers: nodes.map((n) => `127.0.0.1:${n.port}`),
    ready,
    kill: (name) => kill(nodeOf(name)),
    async restart(name) {
      const node = nodeOf(name);
      if (node.child) return;
      launch(node);
      const deadline = Date.now() + 15_000;
      while ((await metaLeader(node.httpPort)) === undefined) {
        if (Date.now() > deadline) throw new Error(`nats-server ${name} did not rejoin within 15 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async dispose() {
      for (const node of nodes) await kill(node);
      for (const node of nodes) rmSync(node.storeDir, { recursive: true, force: true });
    },
  };
  try {
    await ready();
  } catch (error) {
    await cluster.dispose();
    throw error;
  }
  return cluster;
}

// The JetStream meta leader a node knows of, from its monitoring endpoint; undefined while it has none or is down.
async function metaLeader(httpPort: number): Promise<string | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 1000);
  try {
    const response = await fetch(`http://127.0.0.1:${httpPort}/jsz`, { signal: controller.signal });
    const body = (await response.json()) as { meta_cluster?: { leader?: string } };
    return body.meta_cluster?.leader || undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
