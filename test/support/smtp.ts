import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { startTestService, type TestService } from "./service";

export interface ReceivedMail {
  raw: Buffer;
  parsed: ParsedMail;
  envelopeTo: string[];
}

/** A real SMTP server (smtp-server) on 127.0.0.1 that keeps what it receives; can stop and listen again on the same port. */
export class LoopbackSmtp {
  readonly received: ReceivedMail[] = [];
  private server?: SMTPServer;
  port = 0;

  async start(port = this.port): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData: (stream, session, done) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (parsed) => {
              this.received.push({ raw, parsed, envelopeTo: session.envelope.rcptTo.map((r) => r.address) });
              done();
            },
            (err) => done(err),
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as { port: number }).port;
    return this;
  }

  get url() {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

/**
 * A test service whose mail goes to a loopback SMTP server of its own (`smtp`); its stop() stops
 * both, the service first (its outbox may still be sending).
 */
export async function startServiceWithSmtp(env: Record<string, string> = {}): Promise<TestService & { smtp: LoopbackSmtp }> {
  const smtp = await new LoopbackSmtp().start(0);
  const svc = await startTestService({ SMTP_URL: smtp.url, ...env });
  const stopService = svc.stop.bind(svc);
  return Object.assign(svc, {
    smtp,
    stop: async () => {
      await stopService();
      await smtp.stop();
    },
  });
}
