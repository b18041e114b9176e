import type { Command } from "commander";
import { withDatabase } from "./context";
import { verifyChain } from "../audit/audit";
import { verifyLatestCheckpoint } from "../audit/checkpoint";

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
        // The latest signed checkpoint (RFC 3161 token of our TSA) catches a rewrite of the whole chain.
        const cp = await verifyLatestCheckpoint(db);
        if (!cp.checkpoint) {
          process.stdout.write("Chưa có mốc kiểm toán đã ký.\n");
        } else if (cp.ok) {
          process.stdout.write(`Mốc kiểm toán đã ký hợp lệ: bản ghi số ${cp.checkpoint.seq}, thời điểm ${cp.checkpoint.genTime}.\n`);
        } else {
          process.stdout.write(`Mốc kiểm toán KHÔNG HỢP LỆ (bản ghi số ${cp.checkpoint.seq}): ${cp.reason}\n`);
          process.exitCode = 3;
        }
      });
    });
}
