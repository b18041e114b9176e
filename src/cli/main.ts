import { Command } from "commander";
import { registerUserCommands } from "./users";
import { registerAuditCommands } from "./audit";
import { registerCaCommands } from "./ca";
import { registerTokenCommands } from "./token";
import { registerDirectoryCommands } from "./directory";
import { version } from "../../package.json";
import { privateUmask } from "../store/dataDir";

/**
 * `chungthu …`: the operators' CLI. Each capability registers its commands in its own file.
 */
export const program = new Command()
  .name("chungthu")
  .description("Hệ thống chứng thực chữ ký số chuyên dùng công vụ — công cụ dòng lệnh cho người vận hành")
  .version(version);

registerUserCommands(program);
registerAuditCommands(program);
registerCaCommands(program);
registerTokenCommands(program);
registerDirectoryCommands(program);

privateUmask();
program.parseAsync(process.argv).catch((err) => {
  process.stderr.write(`chungthu: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
