/** Vietnamese texts of security: dual control (phê duyệt hai người), audit checkpoints. */
export const security = {
  approvalNotFound: (id: string) => `Không tìm thấy yêu cầu phê duyệt ${id}.`,
  approvalNotPending: (status: string) => `Yêu cầu phê duyệt không còn chờ duyệt (trạng thái: ${status}).`,
  approvalRequired: "Thao tác cần người thứ hai phê duyệt trước (nguyên tắc bốn mắt); gửi yêu cầu kiểm tra (dryRun) để tạo yêu cầu phê duyệt.",
  approvalExpired: "Yêu cầu phê duyệt đã hết hạn; thao tác không được thực hiện.",
  selfApproval: "Người đề nghị không được tự phê duyệt thao tác của mình (nguyên tắc bốn mắt).",
  approverNotEntitled: "Người phê duyệt phải có quyền thực hiện chính thao tác này.",
  operationUnknown: (op: string) => `Thao tác cần phê duyệt không xác định: ${op}.`,
  sameActorAccept: "Người đã tiếp nhận hoặc chỉnh sửa hồ sơ không được chấp nhận hồ sơ đó (phân tách nhiệm vụ).",
  tooManyPeople: (n: number, max: number) => `Danh sách có ${n} người, vượt quá giới hạn ${max} người cho một tài liệu.`,
  documentTooLarge: (max: number) => `Tài liệu vượt quá ${max} trang; không thể tạo.`,
  checkpointUnavailable: "Chưa thể ký mốc kiểm toán: dịch vụ cấp dấu thời gian chưa sẵn sàng.",
  operationLabel: (op: string) =>
    ({
      "revocation.urgent": "Thu hồi khẩn cấp (lộ khóa) ngoài hồ sơ Mẫu 05",
      "revocation.bulk": "Thu hồi hàng loạt",
      "ca.key": "Thao tác với khóa CA",
      "device.reinitialize": "Khởi tạo lại thiết bị lưu khóa",
      "user.privileged_role": "Cấp vai trò đặc quyền cho người dùng",
    })[op] ?? op,
};
