/**
 * Serves the fixture stack's local tenant for the benchmark; prints `READY <json>` once
 * listening, with the client the bench authenticates as and its authentication method.
 */
import { clientOf, startFixture } from "../../test/fixtures/local-project.ts";

const local = await startFixture();
const client = clientOf(local, "globex/billing");
console.log(
  `READY ${JSON.stringify({
    url: `${local.issuer}oauth/token`,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    method: client.method,
  })}`,
);
