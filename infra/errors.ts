// The one class of expected failure. A UserError is something the person running a command can fix: a flag,
// a file, a config key, an environment variable. Commands print its message alone and exit 2
// (tools/lib/cli.ts); any other error is a bug and is printed with its stack, exit 1.

export class UserError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
