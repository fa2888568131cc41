/**
 * The commands the store sends: an ioredis `Redis` or `Cluster` fits. Declared here, not imported
 * from ioredis, so TypeScript users who never install ioredis compile these declarations too.
 */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, expiry: "EX", seconds: number, mode: "NX"): Promise<"OK" | null>;
  set(key: string, value: string, expiry: "EX", seconds: number): Promise<"OK" | null>;
  evalsha(sha1: string, numKeys: number, ...keysAndArgs: Array<string | number>): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: Array<string | number>): Promise<unknown>;
  quit(): Promise<unknown>;
  zadd(key: string, score: number, member: string): Promise<unknown>;
  zrangebyscore(key: string, min: string, max: string, limit: "LIMIT", offset: number, count: number): Promise<string[]>;
  zrangebylex(key: string, min: string, max: string, limit: "LIMIT", offset: number, count: number): Promise<string[]>;
  mget(...keys: string[]): Promise<Array<string | null>>;
  zrem(key: string, ...members: string[]): Promise<unknown>;
  zremrangebyscore(key: string, min: string, max: string): Promise<unknown>;
  /** PING, for health(); a client without it is asked for a key no order has. */
  ping?(): Promise<unknown>;
}
