// autocannon ships no types; the little the benchmarks use.
declare module "autocannon" {
  interface Result {
    requests: { average: number };
    latency: { p99: number; average: number };
    errors: number;
    non2xx: number;
  }
  function autocannon(opts: { url: string; connections?: number; duration?: number; pipelining?: number }): Promise<Result>;
  export = autocannon;
}
