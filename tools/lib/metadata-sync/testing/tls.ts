// A certificate authority made for one test run, and a server certificate it signs for the fake tenant's
// host names, so that the SDK talks real HTTPS to the loopback server and verifies its certificate.
// Node has no API to issue X.509 certificates, so this uses the openssl CLI, in a temporary directory.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export interface TestTls {
  /** The test CA's certificate (PEM): the only root the test client trusts. */
  ca: string;
  /** The server's key and certificate (PEM), valid for the given host names. */
  key: string;
  cert: string;
}

export function makeTestTls(hosts: readonly string[]): TestTls {
  const dir = mkdtempSync(path.join(tmpdir(), "metadata-sync-tls-"));
  const at = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => {
    const result = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
    if (result.error) throw new Error(`these tests need the openssl CLI to make a test certificate authority: ${result.error.message}`);
    if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
  };
  try {
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl(
      "req",
      "-x509",
      ...ec,
      "-keyout",
      at("ca.key"),
      "-out",
      at("ca.crt"),
      "-days",
      "2",
      "-subj",
      "/CN=metadata-sync test CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    );
    openssl("req", ...ec, "-keyout", at("server.key"), "-out", at("server.csr"), "-subj", `/CN=${hosts[0]}`);
    writeFileSync(
      at("server.ext"),
      [
        `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(",")}`,
        "basicConstraints=CA:FALSE",
        "keyUsage=critical,digitalSignature",
        "extendedKeyUsage=serverAuth",
      ].join("\n"),
    );
    openssl(
      "x509",
      "-req",
      "-in",
      at("server.csr"),
      "-CA",
      at("ca.crt"),
      "-CAkey",
      at("ca.key"),
      "-set_serial",
      `${Date.now()}`,
      "-days",
      "2",
      "-extfile",
      at("server.ext"),
      "-out",
      at("server.crt"),
    );
    return {
      ca: readFileSync(at("ca.crt"), "utf8"),
      key: readFileSync(at("server.key"), "utf8"),
      cert: readFileSync(at("server.crt"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
