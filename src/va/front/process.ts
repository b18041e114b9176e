import http from "node:http";
import { createLogger } from "../../log";
import { fastHeaders, withFastRoutes } from "../../http/fastPath";
import { errorBody } from "../../http/errors";
import { messages } from "../../messages";
import { ocspFastRoutes } from "../routes";
import { MemoryCopy } from "./memoryCopy";
import { settingsFromEnv, type FrontToService, type ServiceToFront } from "./protocol";

/**
 * One OCSP process (forked by src/va/front/supervisor.ts with node:cluster; the processes share the
 * OCSP_PORT listener). It serves POST /ocsp and GET /ocsp/… through the same fast routes as the
 * service (src/va/routes.ts), from its copy of the service's memory; the other requests for those
 * paths (HEAD, conditional GETs, other media types, chunked bodies) are passed to the service
 * unchanged, so the answers are the service's own. Any other path gets 404: OCSP_PORT is the one
 * a CA exposes to every relying party, and the staff pages and API must not be reachable through
 * it. It holds no key and no database connection: what it cannot answer from memory, the service
 * answers.
 */
function main() {
  const settings = settingsFromEnv(process.env);
  const log = createLogger(settings.logLevel).child({ process: "ocsp", pid: process.pid });
  if (!process.send) throw new Error("the OCSP process must be started by the service (IPC)");
  const send = (m: FrontToService) => {
    if (process.connected) process.send!(m);
    else throw new Error("service gone");
  };
  const memory = new MemoryCopy(send, settings.recheckMs);
  process.on("message", (m: ServiceToFront) => memory.receive(m));
  // The service is gone (stopped or crashed): nothing left to answer for.
  process.on("disconnect", () => {
    memory.abandon();
    server.close();
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 100).unref();
  });

  const service = new URL(settings.serviceUrl);
  const unreachable = Buffer.from(JSON.stringify(errorBody("service_unreachable", messages.common.serviceUnreachable)));
  const notFound = Buffer.from(JSON.stringify(errorBody("not_found", messages.common.notFoundRoute)));
  const json = { "Content-Type": "application/json; charset=utf-8" };
  const passOn: http.RequestListener = (req, res) => {
    const p = (req.url ?? "/").split("?")[0];
    if (p !== "/ocsp" && !p.startsWith("/ocsp/")) {
      req.resume();
      res.writeHead(404, fastHeaders(json, notFound) as unknown as http.OutgoingHttpHeaders);
      res.end(notFound);
      return;
    }
    const upstream = http.request(
      { host: service.hostname, port: service.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders as unknown as http.OutgoingHttpHeaders);
        answer.pipe(res);
      },
    );
    upstream.on("error", (err) => {
      log.warn({ err: err.message }, "the service did not answer a request passed on");
      if (res.headersSent) return res.destroy();
      res.writeHead(502, fastHeaders(json, unreachable) as unknown as http.OutgoingHttpHeaders);
      res.end(unreachable);
    });
    req.pipe(upstream);
  };

  const server = http.createServer(withFastRoutes({ bodyLimit: settings.bodyLimit, log }, ocspFastRoutes(memory), passOn));
  server.keepAliveTimeout = 65_000;
  server.on("error", (err) => {
    log.fatal({ err }, "OCSP listener failed");
    process.exit(1);
  });
  server.listen(settings.port, settings.host);
}

main();
