import { dossierStatusNames } from "./dossiers";

/** Vietnamese texts of the review workflow: actions, transitions, deficiencies, findings. */
const actionNames: Record<string, string> = {
  submit: "tiếp nhận (nộp) hồ sơ",
  correct: "sửa đổi, bổ sung hồ sơ",
  start: "bắt đầu kiểm duyệt",
  request_correction: "yêu cầu bổ sung, sửa đổi",
  accept: "chấp thuận",
  reject: "từ chối",
  withdraw: "rút hồ sơ",
};

const status = (s: string) => dossierStatusNames[s] ?? s;

export const review = {
  actionNames,
  statusName: status,
  transitionNotAllowed: (action: string, from: string, to: string) =>
    `Không thể ${actionNames[action] ?? action}: hồ sơ đang ở trạng thái "${status(from)}", không chuyển được sang trạng thái "${status(to)}".`,
  deficienciesRequired: "Yêu cầu bổ sung, sửa đổi phải nêu ít nhất một nội dung cần bổ sung (trường, dòng và lý do).",
  reasonRequired: "Từ chối hồ sơ phải nêu lý do.",
  unknownDeficiencyField: (field: string) => `Không có nội dung "${field}" trong hồ sơ để yêu cầu bổ sung.`,
  rowNotInList: (label: string, row: number, length: number) => `${label}: không có dòng số ${row} (danh sách có ${length} dòng).`,
  rowNotAList: (label: string) => `${label}: không phải là danh sách, không ghi số dòng.`,
  unknownReasonCode: (code: string) => `Không có lý do mẫu mã "${code}" trong danh mục.`,
  deficiencyReasonMissing: "Mỗi nội dung cần bổ sung phải có lý do (tự nhập hoặc chọn mã lý do trong danh mục).",
  otherField: "Nội dung khác",
  receivedInFuture: "Thời điểm tiếp nhận không được ở tương lai.",
  notAReviewer: "Chỉ người có vai trò kiểm duyệt viên mới được kiểm duyệt hồ sơ.",
  findings: {
    validCertificate: (name: string, serial: string, notAfter: string) =>
      `${name} đang có chứng thư số cùng loại còn hiệu lực (số hiệu ${serial}, hết hạn ${notAfter}).`,
    idInOpenDossier: (name: string, other: string, otherStatus: string) =>
      `Số giấy tờ tùy thân của ${name} đã có trong hồ sơ ${other} đang mở (trạng thái "${status(otherStatus)}").`,
    agencyContradiction: (label: string, ours: string, theirs: string, other: string) =>
      `${label} của cơ quan là "${ours}", khác với "${theirs}" trong hồ sơ ${other} trước đây.`,
    idBirthYearMismatch: (name: string, id: string, encoded: number, declared: number) =>
      `Số CCCD ${id} của ${name} mang năm sinh ${encoded}, khác với năm sinh ${declared} ghi trong hồ sơ: một trong hai có thể ghi sai.`,
  },
};
