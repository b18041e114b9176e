/** Vietnamese texts of request dossiers (hồ sơ đề nghị): field labels, validation and state errors. */

/** Field labels, as a clerk reads them on Mẫu 01–06. */
export const dossierLabels = {
  kind: "Loại hồ sơ",
  agency: "Cơ quan, tổ chức quản lý trực tiếp",
  "agency.name": "Tên cơ quan, tổ chức",
  "agency.headOfficeAddress": "Địa chỉ trụ sở",
  "agency.contactAddress": "Địa chỉ liên hệ",
  "agency.phone": "Số điện thoại của cơ quan",
  "agency.fax": "Số fax",
  "agency.email": "Thư điện tử của cơ quan",
  "agency.taxCode": "Mã số thuế",
  "agency.budgetCode": "Mã quan hệ ngân sách",
  certificateType: "Loại chứng thư số",
  quantity: "Số lượng",
  subscribers: "Danh sách người được cấp chứng thư số",
  fullName: "Họ và tên",
  dateOfBirth: "Ngày sinh",
  idType: "Loại giấy tờ tùy thân",
  idNumber: "Số CCCD/CMND/Hộ chiếu",
  idIssueDate: "Ngày cấp giấy tờ tùy thân",
  idIssuePlace: "Nơi cấp giấy tờ tùy thân",
  email: "Thư điện tử công vụ",
  workplace: "Cơ quan công tác",
  province: "Tỉnh/Thành phố",
  position: "Chức vụ",
  mobile: "Số điện thoại di động",
  previousCertificateSerial: "Số hiệu chứng thư số cũ",
  assets: "Danh sách thiết bị, dịch vụ, phần mềm",
  "asset.name": "Tên thiết bị, dịch vụ, phần mềm",
  "asset.kind": "Loại tài sản kỹ thuật",
  "asset.identifier": "Định danh (tên miền, số hiệu thiết bị…)",
  receiver: "Người nhận bàn giao",
  deliveryAddress: "Địa chỉ nhận bàn giao",
  commitment: "Cam kết sử dụng đúng mục đích",
  channel: "Hình thức nộp hồ sơ",
  receivedAt: "Thời điểm tiếp nhận",
  note: "Ghi chú",
  certificates: "Danh sách chứng thư số",
  serial: "Số hiệu chứng thư số",
  requestType: "Nội dung đề nghị (gia hạn hoặc thay đổi thông tin)",
  changes: "Thông tin thay đổi",
  "change.field": "Trường thông tin thay đổi",
  "change.newValue": "Giá trị mới",
  reason: "Lý do",
  requestedAt: "Thời điểm đề nghị thu hồi",
  devices: "Danh sách thiết bị lưu khóa cần khôi phục",
  "device.serial": "Số sê-ri thiết bị",
  holder: "Người đang quản lý thiết bị",
  version: "Phiên bản hồ sơ",
} as const;

export type DossierLabel = keyof typeof dossierLabels;

export const dossiers = {
  labels: dossierLabels,
  required: (label: string) => `${label}: bắt buộc phải nhập.`,
  notText: (label: string) => `${label}: phải là chuỗi ký tự.`,
  empty: (label: string) => `${label}: không được để trống.`,
  tooLong: (label: string, max: number) => `${label}: dài tối đa ${max} ký tự.`,
  notObject: (label: string) => `${label}: phải là một đối tượng có các trường thông tin.`,
  notList: (label: string) => `${label}: phải là một danh sách.`,
  listEmpty: (label: string) => `${label}: cần ít nhất một dòng.`,
  listTooLong: (label: string, max: number) => `${label}: tối đa ${max} dòng.`,
  invalidChoice: (label: string, choices: string[]) => `${label}: chỉ nhận một trong các giá trị ${choices.join(", ")}.`,
  invalidEmail: (label: string) => `${label}: không đúng định dạng thư điện tử (ví dụ: ten@donvi.gov.vn).`,
  invalidMobile: (label: string) =>
    `${label}: phải là số di động Việt Nam 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09 (hoặc dạng +84…).`,
  invalidPhone: (label: string) =>
    `${label}: phải là số điện thoại Việt Nam: cố định 11 chữ số gồm mã vùng (ví dụ 024 3822 1234) hoặc di động 10 chữ số.`,
  invalidFax: (label: string) => `${label}: phải là số cố định 11 chữ số gồm mã vùng (ví dụ 024 3822 1235).`,
  invalidDate: (label: string) => `${label}: phải là ngày hợp lệ theo dạng YYYY-MM-DD (ví dụ 1985-03-05).`,
  futureDate: (label: string) => `${label}: không được sau ngày hôm nay.`,
  issueBeforeBirth: (label: string) => `${label}: không được trước ngày sinh.`,
  invalidDateTime: (label: string) =>
    `${label}: phải là ngày giờ theo ISO 8601 có múi giờ (ví dụ 2026-11-25T09:30:00+07:00) hoặc ngày YYYY-MM-DD.`,
  invalidCccd: (label: string) => `${label}: số CCCD gồm đúng 12 chữ số.`,
  invalidCccdProvince: (label: string, code: string) =>
    `${label}: 3 chữ số đầu "${code}" không phải mã tỉnh, thành phố hợp lệ theo Thông tư 07/2016/TT-BCA.`,
  invalidCmnd: (label: string) => `${label}: số CMND gồm 9 hoặc 12 chữ số.`,
  invalidPassport: (label: string) => `${label}: số hộ chiếu gồm 1 chữ cái in hoa và 7 chữ số (ví dụ C1234567).`,
  invalidAnyId: (label: string) =>
    `${label}: phải là số CCCD (12 chữ số), CMND (9 hoặc 12 chữ số) hoặc hộ chiếu (1 chữ cái và 7 chữ số).`,
  invalidTaxCode: (label: string) => `${label}: gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số (đơn vị phụ thuộc).`,
  invalidBudgetCode: (label: string) => `${label}: gồm đúng 7 chữ số.`,
  invalidSerial: (label: string) => `${label}: phải là số hiệu thập lục phân (0-9, a-f), tối đa 64 ký tự.`,
  invalidQuantityNumber: (label: string) => `${label}: phải là số nguyên dương.`,
  quantityMismatch: (quantity: number, listLabel: string, length: number) =>
    `Số lượng đề nghị (${quantity}) không khớp với số dòng của ${listLabel.toLowerCase()} (${length}).`,
  commitmentRequired: "Cơ quan, tổ chức phải cam kết sử dụng chứng thư số đúng mục đích (commitment = true).",
  duplicateIdNumber: (row: number) => `Số giấy tờ tùy thân trùng với người ở dòng ${row} trong cùng hồ sơ.`,
  duplicateSerial: (row: number) => `Số hiệu chứng thư trùng với dòng ${row} trong cùng hồ sơ.`,
  organizationCodeRequired: "Hồ sơ cấp chứng thư số cho tổ chức phải có mã số thuế hoặc mã quan hệ ngân sách.",
  changesRequired: "Đề nghị thay đổi thông tin phải nêu ít nhất một thông tin thay đổi.",
  unknownKind: (kinds: string[]) => `Loại hồ sơ phải là một trong: ${kinds.join(", ")}.`,
  unknownFields: (keys: string[]) => `Trường không có trong mẫu hồ sơ (kiểm tra lại tên trường): ${keys.join(", ")}.`,

  invalidId: "Mã hồ sơ không hợp lệ (phải là UUID).",
  notFound: (id: string) => `Không tìm thấy hồ sơ đề nghị "${id}".`,
  notEditable: (number: string, status: string) =>
    `Hồ sơ ${number} đang ở trạng thái "${status}"; chỉ được sửa khi là bản nháp hoặc đang chờ bổ sung, sửa đổi.`,
  versionConflict: (expected: number, actual: number) =>
    `Hồ sơ đã được người khác cập nhật (phiên bản ${actual}, bạn gửi phiên bản ${expected}). Tải lại hồ sơ rồi sửa lại.`,
  kindImmutable: "Không được đổi loại hồ sơ sau khi đã tạo; hãy tạo hồ sơ mới.",
  patchEmpty: "Không có thông tin nào để sửa.",
  invalidVersion: "Phiên bản hồ sơ phải là số nguyên dương (lấy từ trường version của hồ sơ).",
  statusByProcedure: "Không sửa trực tiếp trạng thái hồ sơ; trạng thái chỉ thay đổi qua các bước tiếp nhận, kiểm duyệt của thủ tục.",
  patchNotObject: "Nội dung sửa đổi phải là một đối tượng JSON.",
  subscribersNotSupported: (kind: string) => `Hồ sơ loại "${kind}" không có danh sách người được cấp chứng thư số.`,

  csvUnreadable: (line: number, detail: string) => `Tệp CSV không đọc được ở dòng ${line}: ${detail}`,
  csvEmpty: "Tệp CSV không có dòng dữ liệu nào (chỉ có dòng tiêu đề hoặc trống).",
  csvMissingColumn: (header: string) => `Tệp CSV thiếu cột bắt buộc "${header}".`,
  csvDuplicateColumn: (header: string) => `Tệp CSV có cột "${header}" lặp lại.`,
  csvInvalidDate: (header: string) => `${header}: ngày phải theo dạng dd/mm/yyyy (ví dụ 05/03/1985) hoặc yyyy-mm-dd.`,
  csvInvalidIdType: (header: string) => `${header}: chỉ nhận CCCD, CMND hoặc Hộ chiếu.`,
  csvRowErrors: (n: number) => `Danh sách có ${n} lỗi. Xem chi tiết theo từng dòng và cột.`,
  listBodyInvalid: "Danh sách phải gửi dạng text/csv (mẫu 01) hoặc mảng JSON các người được cấp.",
};

/** Names of the dossier statuses, as shown to people. */
export const dossierStatusNames: Record<string, string> = {
  draft: "bản nháp",
  received: "đã tiếp nhận",
  under_review: "đang kiểm duyệt",
  needs_correction: "chờ bổ sung, sửa đổi",
  corrected: "đã bổ sung, sửa đổi",
  accepted: "đã chấp thuận",
  rejected: "bị từ chối",
  withdrawn: "đã rút",
  issuing: "đang cấp",
  issued: "đã cấp",
  handed_over: "đã bàn giao",
  published: "đã công bố",
  completed: "đã hoàn thành",
};

/** Notes in a dossier's history when it reaches its final status (src/ra/dossiers/fulfilment.ts). */
export const fulfilmentNotes = {
  published: (n: number) => `Đã bàn giao và công bố toàn bộ ${n} chứng thư số của hồ sơ.`,
  revocationCompleted: (n: number) => `Đã thu hồi toàn bộ ${n} chứng thư số nêu trong hồ sơ (Mẫu 05).`,
  recoveryCompleted: (n: number) => `Đã khôi phục toàn bộ ${n} thiết bị lưu khóa bí mật nêu trong hồ sơ (Mẫu 06).`,
};
