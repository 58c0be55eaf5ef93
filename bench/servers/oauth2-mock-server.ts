/** Serves oauth2-mock-server for the benchmark; prints `READY <json>` once listening. */
import { OAuth2Server } from "oauth2-mock-server";

const server = new OAuth2Server();
await server.issuer.keys.generate("RS256");
await server.start(0, "127.0.0.1");
const address = server.address();
console.log(`READY ${JSON.stringify({ url: `http://127.0.0.1:${address.port}/token` })}`);
