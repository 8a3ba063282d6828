import { readFileSync } from 'node:fs';

/**
 * CPU seconds the main thread alone has used (Linux: its task's utime + stime from `/proc`, in
 * 1/100 s); `NaN` elsewhere. `process.cpuUsage()` counts every thread of the process.
 */
export function mainThreadCpuSeconds(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
