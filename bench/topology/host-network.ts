/**
 * Hosts on a network of their own, on one Linux machine: each host is a network namespace
 * with one veth link to a bridge, and an address in a /24 the network picks at random among
 * those this machine does not route yet. This machine itself sits on the bridge (`.1`), as the
 * departments' systems would. Cutting a host's link (the bridge's end `ip link set … down`)
 * partitions it: its connections hang, as on a real network, rather than being refused.
 *
 * Needs root (`ip netns`). Everything is created under one random tag and removed by
 * {@link HostNetwork.close}, and by an exit hook if the process ends first.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';

/** One host: its namespace, address, and the bridge's end of its link. */
export interface Host {
  name: string;
  netns: string;
  address: string;
  link: string;
}

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A /24 in 10.0.0.0/8 that no route of this machine covers. */
function freeSubnet(): string {
  const routes = ip('-4', 'route', 'show', 'table', 'all');
  for (let tries = 0; tries < 50; tries++) {
    const subnet = `10.${randomInt(100, 250)}.${randomInt(0, 255)}`;
    if (!routes.includes(`${subnet}.`)) return subnet;
  }
  throw new Error('no free 10.x.y.0/24 subnet for the test network');
}

/** A bridge, and a namespace per host linked to it. */
export class HostNetwork {
  /** This machine's address on the network (where the fixture systems listen). */
  readonly gateway: string;
  private readonly hosts = new Map<string, Host>();
  private readonly tag = randomBytes(3).toString('hex');
  private readonly subnet = freeSubnet();
  private readonly bridge = `fb${this.tag}`;
  private readonly cleanUpAtExit = () => this.removeAll();

  /** Creates the bridge and one namespace per name (`redis`, `host-1`, …). */
  constructor(names: string[]) {
    this.gateway = `${this.subnet}.1`;
    process.once('exit', this.cleanUpAtExit);
    try {
      ip('link', 'add', this.bridge, 'type', 'bridge');
      ip('addr', 'add', `${this.gateway}/24`, 'dev', this.bridge);
      ip('link', 'set', this.bridge, 'up');
      for (const [index, name] of names.entries()) this.addHost(name, index + 2);
    } catch (error) {
      this.removeAll();
      throw error;
    }
  }

  private addHost(name: string, octet: number): void {
    const host: Host = { name, netns: `ferry-${this.tag}-${name}`, address: `${this.subnet}.${octet}`, link: `${this.bridge}h${octet}` };
    ip('netns', 'add', host.netns);
    this.hosts.set(name, host);
    ip('link', 'add', host.link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns);
    ip('link', 'set', host.link, 'master', this.bridge);
    ip('link', 'set', host.link, 'up');
    ip('-n', host.netns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
    ip('-n', host.netns, 'link', 'set', 'eth0', 'up');
    ip('-n', host.netns, 'link', 'set', 'lo', 'up');
    ip('-n', host.netns, 'route', 'add', 'default', 'via', this.gateway);
  }

  /** The host called `name`. */
  host(name: string): Host {
    const host = this.hosts.get(name);
    if (!host) throw new Error(`no host ${name} on this network (${[...this.hosts.keys()].join(', ')})`);
    return host;
  }

  /**
   * Cuts the host off the network, as a pulled cable would: the bridge's end of its link goes
   * down, so nothing it sends arrives. Its neighbours' addresses are pinned first, so that its
   * connections, open and new alike, hang (the kernel retries) instead of failing fast when
   * address resolution finds no one; taking its own end down would instead drop its routes, and
   * every new connection would be refused at once.
   */
  cut(name: string): void {
    const host = this.host(name);
    const neighbours = [{ address: this.gateway, mac: ip('-j', 'link', 'show', this.bridge) }, ...[...this.hosts.values()]
      .filter((other) => other !== host)
      .map((other) => ({ address: other.address, mac: ip('-n', other.netns, '-j', 'link', 'show', 'eth0') }))];
    for (const { address, mac } of neighbours) {
      const [{ address: lladdr }] = JSON.parse(mac) as { address: string }[];
      ip('-n', host.netns, 'neigh', 'replace', address, 'lladdr', lladdr, 'dev', 'eth0', 'nud', 'permanent');
    }
    ip('link', 'set', host.link, 'down');
  }

  /** Puts a cut host back on the network. */
  reconnect(name: string): void {
    ip('link', 'set', this.host(name).link, 'up');
  }

  /** Removes every namespace and the bridge (the veth links go with their namespaces). */
  close(): void {
    process.removeListener('exit', this.cleanUpAtExit);
    this.removeAll();
  }

  private removeAll(): void {
    for (const host of this.hosts.values()) {
      // The link first: a namespace outlives its name while a process still runs in it.
      for (const args of [['link', 'del', host.link], ['netns', 'del', host.netns]]) {
        try {
          ip(...args);
        } catch {
          // already gone
        }
      }
    }
    this.hosts.clear();
    try {
      ip('link', 'del', this.bridge);
    } catch {
      // never made, or already gone
    }
  }
}
