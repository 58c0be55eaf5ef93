import { generate } from "selfsigned";
import { readOptionalFile, writePrivateFile } from "./state-files.ts";

/** A self-signed certificate for localhost and 127.0.0.1, and where it is kept. */
export interface LocalCertificate {
  readonly key: string;
  readonly cert: string;
  /** Hand this file to clients: NODE_EXTRA_CA_CERTS=<path> for other Node processes. */
  readonly certificatePath: string;
}

/**
 * The local issuer's TLS certificate: generated once (RSA-2048, SHA-256, a year), kept in the
 * state folder (the key 0600), reused on restarts so clients that trust it keep trusting it.
 */
export async function localCertificate(certificatePath: string, keyPath: string): Promise<LocalCertificate> {
  const cert = readOptionalFile(certificatePath);
  const key = readOptionalFile(keyPath);
  if (cert && key) return { cert, key, certificatePath };
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 365 * 24 * 3600 * 1000),
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  writePrivateFile(keyPath, pems.private);
  writePrivateFile(certificatePath, pems.cert);
  return { cert: pems.cert, key: pems.private, certificatePath };
}
