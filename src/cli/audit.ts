import type { Command } from "commander";
import { withDatabase } from "./context";
import { verifyChain } from "../audit/audit";

export function registerAuditCommands(program: Command) {
  const audit = program.command("audit").description("Nhật ký kiểm toán");
  audit
    .command("verify")
    .description("Kiểm tra chuỗi băm của nhật ký; báo mắt xích hỏng đầu tiên")
    .action(async () => {
      await withDatabase(async (db) => {
        const r = await verifyChain(db);
        if (r.ok) {
          process.stdout.write(`Chuỗi nhật ký toàn vẹn: ${r.rows} bản ghi.\n`);
        } else {
          process.stdout.write(`Chuỗi nhật ký BỊ PHÁ VỠ tại bản ghi số ${r.firstBroken!.seq}: ${r.firstBroken!.reason}\n`);
          process.exitCode = 3;
        }
      });
    });
}
