/** CPU-time measurement shared by the benches that time code in their own process. */

/** CPU time of this process so far, in ms (user + system, every thread). */
export const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Runs `fn` repeatedly for about `ms` of CPU time; the mean CPU and wall time per call, in ms. */
export const timeIt = (fn: () => unknown, ms: number): { cpu: number; wall: number } => {
  let calls = 0;
  const cpuStart = cpuMs();
  const wallStart = performance.now();
  let cpu = 0;
  do {
    fn();
    calls++;
    cpu = cpuMs() - cpuStart;
  } while (cpu < ms);
  return { cpu: cpu / calls, wall: (performance.now() - wallStart) / calls };
};
