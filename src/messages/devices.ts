/** Vietnamese texts of key-storage devices, recovery and handover. */
export const devices = {
  handoverNotReady: (number: string, status: string) =>
    `Hồ sơ ${number} chưa được cấp chứng thư số (trạng thái hiện tại: "${status}"); chưa thể hẹn bàn giao.`,
  transitionNeedsCommand: (to: string) =>
    `Trạng thái "${to}" chỉ đạt được qua thao tác riêng (nạp chứng thư, bàn giao, khóa, khôi phục), không chuyển trực tiếp.`,
  handoverReceiverRequired: "Cần ghi người nhận bàn giao (họ tên, chức vụ, cơ quan, số định danh).",
  lockedByPinFailures: (n: number) => `Thiết bị bị khóa do nhập sai mã PIN ${n} lần.`,
  notFound: (id: string) => `Không tìm thấy thiết bị lưu khóa bí mật "${id}".`,
  serialTaken: (serial: string) => `Thiết bị có số sê-ri "${serial}" đã có trong danh mục.`,
  forbiddenTransition: (from: string, to: string) =>
    `Không thể chuyển thiết bị từ trạng thái "${from}" sang trạng thái "${to}".`,
  certificateNotFound: (serial: string) => `Không tìm thấy chứng thư số có số hiệu "${serial}".`,
  certificateOnNoDevice: (serial: string) => `Chứng thư số "${serial}" không nằm trên thiết bị lưu khóa nào.`,
  certificateOnOtherDevice: (serial: string) => `Chứng thư số "${serial}" đã được gắn với một thiết bị khác.`,
  certificateNotIssued: (serial: string) => `Chứng thư số "${serial}" chưa được cấp hoặc đã bị hủy.`,
  deviceNotReadyForCertificate: (state: string) =>
    `Chỉ gắn chứng thư số vào thiết bị đã khởi tạo hoặc đã nạp chứng thư; thiết bị đang ở trạng thái "${state}".`,
  csvEmpty: "Tệp CSV không có dòng dữ liệu nào.",
  csvUnreadable: (detail: string) => `Không đọc được tệp CSV: ${detail}`,
  csvMissingHeader: (h: string) => `Tệp CSV thiếu cột "${h}".`,
  csvRequired: (h: string) => `Cột "${h}" không được để trống.`,
  csvBadKind: (v: string) => `Loại thiết bị "${v}" không hợp lệ (USB token, HSM hoặc SIM).`,
  csvDuplicateInFile: (serial: string, row: number) => `Số sê-ri "${serial}" lặp lại dòng ${row} của tệp.`,
  csvTooLong: (h: string, max: number) => `Cột "${h}" dài quá ${max} ký tự.`,
  csvRejected: "Tệp CSV có dòng lỗi; không thiết bị nào được nhập. Xem lỗi của từng dòng.",
  recoveryDossierNotFound: (id: string) => `Không tìm thấy hồ sơ đề nghị khôi phục thiết bị "${id}".`,
  recoveryDossierWrongKind: "Hồ sơ không phải đề nghị khôi phục thiết bị lưu khóa bí mật (Mẫu 06).",
  recoveryDossierNotAccepted: (status: string) =>
    `Hồ sơ đề nghị khôi phục chưa được chấp nhận (trạng thái hiện tại: "${status}").`,
  recoveryDossierOtherDevice: (serial: string) => `Hồ sơ đề nghị khôi phục không nêu thiết bị có số sê-ri "${serial}".`,
  recoveryDossierUsed: "Hồ sơ đề nghị khôi phục này đã được dùng cho một lần khôi phục thiết bị.",
  notLocked: (state: string) => `Chỉ khôi phục thiết bị đang bị khóa; thiết bị đang ở trạng thái "${state}".`,
  handoverDeviceNotIssued: (serial: string, state: string) =>
    `Thiết bị "${serial}" chưa sẵn sàng bàn giao (trạng thái "${state}").`,
  handoverCertificateNotOnDevice: (cert: string, serial: string) =>
    `Chứng thư số "${cert}" không nằm trên thiết bị "${serial}".`,
  handoverCertificateHandedOver: (cert: string) => `Chứng thư số "${cert}" đã được bàn giao trước đó.`,
  handoverNotFound: (id: string) => `Không tìm thấy biên bản bàn giao "${id}".`,
  handoverDuplicateDevice: (serial: string) => `Thiết bị "${serial}" được kê hai lần trong cùng một lần bàn giao.`,
};
