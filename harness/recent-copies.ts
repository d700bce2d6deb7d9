// A bounded store of values a process computes again and again (plans, parsed YAML), handed out as copies so
// that no caller sees what another changes. Used by harness/plan.ts and harness/stack-file.ts.

/** Values by key, at most `kept` of them: setting a key makes it the newest, and the oldest goes first. */
export class RecentCopies<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly kept: number) {}

  /** A copy of the value kept under `key`, or undefined. */
  get(key: string): V | undefined {
    const value = this.entries.get(key);
    return value === undefined ? undefined : structuredClone(value);
  }

  /** Keeps a copy of `value` under `key`, as the newest entry. */
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, structuredClone(value));
    if (this.entries.size > this.kept) this.entries.delete(this.entries.keys().next().value as string);
  }
}
