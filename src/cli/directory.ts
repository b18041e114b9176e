import type { Command } from "commander";
import { settlePublishedCertificates } from "../ra/dossiers/fulfilment";
import { cliActor } from "../auth/actor";
import cliProgress from "cli-progress";
import { withDatabase } from "./context";
import { Directory } from "../directory/directory";
import { formatDiff } from "../directory/diff";
import { createLogger } from "../log";
import { messages } from "../messages";
import { auditResync, resyncCounts, type ResyncCounts, type ResyncOutcome } from "../directory/resyncAudit";

/** The actor of audit rows written by operator commands. */
const CLI_ACTOR = "cli";

/**
 * `chungthu directory resync [--dry-run]`: makes the external directory (LDAP_URL) hold exactly what
 * the database says, entry by entry and value by value; with --dry-run prints the diff and changes
 * nothing. The embedded directory is built from the database at start and needs no resync.
 * Every run, dry runs and failures included, is one `directory.resync` audit row with the counts.
 */
export function registerDirectoryCommands(program: Command) {
  const dir = program.command("directory").description("Thư mục LDAP công bố chứng thư số");
  dir
    .command("resync")
    .description("Dựng lại hoặc sửa toàn bộ thư mục LDAP ngoài (LDAP_URL) theo cơ sở dữ liệu")
    .option("--dry-run", "chỉ in khác biệt (mục và giá trị cần thêm, cần xóa), không thay đổi gì")
    .option("--no-progress", "không hiện thanh tiến trình")
    .action(async (o: { dryRun?: boolean; progress: boolean }) => {
      await withDatabase(async (db, config) => {
        const directory = new Directory(config, createLogger("warn"));
        const dryRun = !!o.dryRun;
        if (directory.mode === "embedded") {
          await auditResync(db, CLI_ACTOR, { dryRun, mode: "embedded", outcome: "embedded" });
          process.stdout.write(messages.directory.resyncEmbedded + "\n");
          return;
        }
        const url = config.LDAP_URL ? safeUrl(config.LDAP_URL) : undefined;
        let outcome: ResyncOutcome = "failed";
        let counts: ResyncCounts | undefined;
        let error: string | undefined;
        const show = o.progress && process.stderr.isTTY;
        const bar = new cliProgress.SingleBar(
          { format: `${messages.directory.resyncProgress} [{bar}] {percentage}% | {value}/{total} | {phase}`, stream: process.stderr, noTTYOutput: false },
          cliProgress.Presets.shades_classic,
        );
        try {
          if (show) bar.start(1, 0, { phase: messages.directory.phaseRead });
          const diffs = await directory.diff(db, (done, total) => {
            if (!show) return;
            if (bar.getTotal() !== total) bar.setTotal(total);
            bar.update(done, { phase: messages.directory.phaseRead });
          });
          counts = resyncCounts(diffs);
          if (o.dryRun || diffs.length === 0) {
            outcome = o.dryRun ? "dry_run" : "nothing";
            if (show) bar.stop();
            process.stdout.write(diffs.length ? formatDiff(diffs) + "\n" : messages.directory.resyncNothing + "\n");
            if (o.dryRun && diffs.length) process.exitCode = 2; // drift found
            return;
          }
          if (show) {
            bar.setTotal(diffs.length);
            bar.update(0, { phase: messages.directory.phaseWrite });
          }
          await directory.apply(diffs, (n) => show && bar.update(n, { phase: messages.directory.phaseWrite }));
          // Dossiers whose last certificates reached the directory through this resync are settled too.
          await settlePublishedCertificates(db, cliActor, await directory.markAllPublished(db));
          outcome = "applied";
          if (show) bar.stop();
          const count = (c: string) => diffs.filter((d) => d.change === c).length;
          process.stdout.write(messages.directory.resyncDone(count("add"), count("modify"), count("delete")) + "\n");
        } catch (err) {
          error = err instanceof Error ? err.message : String(err);
          throw err;
        } finally {
          if (show) bar.stop();
          await directory.close();
          await auditResync(db, CLI_ACTOR, { dryRun, mode: "external", url, outcome, counts, error });
        }
      });
    });
}

/** The directory's address without any user:password part. */
function safeUrl(u: string): string {
  try {
    const x = new URL(u);
    x.username = "";
    x.password = "";
    return x.toString().replace(/\/$/, "");
  } catch {
    return "";
  }
}
