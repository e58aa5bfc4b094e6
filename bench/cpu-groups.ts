/**
 * Where a benchmark's CPU goes, by group: this Node process (Ferry or the baseline, OCR
 * threads included), the Chromium processes it started, the fixture systems' process
 * and Redis. Read from /proc, except Redis, which reports its own (`INFO cpu`) and so
 * may run elsewhere.
 */
import type { Redis } from 'ioredis';
import { descendantsOf, procStat, treeCpuMs } from './proc-tree.ts';

/** CPU milliseconds by group. `redis` is absent where Redis takes no part. */
export interface CpuGroups {
  node: number;
  chromium: number;
  fixtures: number;
  redis?: number;
}

async function redisCpuMs(redis: Redis): Promise<number> {
  const info = String(await redis.info('cpu'));
  const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1000;
}

/** Chromium's processes below this one, the exited ones this process reaped included. */
function chromiumCpuMs(fixturesPid: number): number {
  const fixturesTree = new Set([fixturesPid, ...descendantsOf(fixturesPid)]);
  const chromium = descendantsOf(process.pid).map(procStat).filter((stat) => stat && !fixturesTree.has(stat.pid) && stat.comm.startsWith('chrom'));
  // A browser this process closed and waited for lands in its reaped time; nothing else exits here mid-run.
  const reaped = procStat(process.pid)!.reapedChildrenCpuMs;
  return chromium.reduce((sum, stat) => sum + stat!.ownCpuMs + stat!.reapedChildrenCpuMs, reaped);
}

/** The CPU used so far by each group; take one before and one after, and subtract. */
export async function sampleCpu(fixturesPid: number, redis?: Redis): Promise<CpuGroups> {
  return {
    node: procStat(process.pid)!.ownCpuMs,
    chromium: chromiumCpuMs(fixturesPid),
    fixtures: treeCpuMs(fixturesPid),
    ...(redis ? { redis: await redisCpuMs(redis) } : {}),
  };
}

/** CPU milliseconds per record of each group between two samples, to a tenth. */
export function cpuPerRecord(before: CpuGroups, after: CpuGroups, records: number): CpuGroups {
  const per = (group: keyof CpuGroups) => Math.round(((after[group] ?? 0) - (before[group] ?? 0)) / records * 10) / 10;
  return {
    node: per('node'), chromium: per('chromium'), fixtures: per('fixtures'),
    ...(after.redis === undefined ? {} : { redis: per('redis') }),
  };
}
