/** Vietnamese texts of the common errors. Capability-specific texts live beside this file. */
export const common = {
  notFoundRoute: "Không tìm thấy địa chỉ yêu cầu.",
  internal: "Đã xảy ra lỗi nội bộ. Vui lòng thử lại sau hoặc liên hệ quản trị hệ thống.",
  malformedJson: "Nội dung gửi lên không phải JSON hợp lệ.",
  bodyTooLarge: (limit: number) => `Nội dung gửi lên vượt quá giới hạn ${limit} byte.`,
  unsupportedMediaType: (expected: string) => `Kiểu nội dung không được hỗ trợ; cần "${expected}".`,
  validationFailed: "Dữ liệu không hợp lệ. Xem chi tiết từng trường.",
  unauthenticated: "Cần xác thực: gửi mã truy cập trong tiêu đề Authorization: Bearer <mã>.",
  invalidToken: "Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi.",
  forbidden: "Bạn không có quyền thực hiện thao tác này.",
  methodNotAllowed: "Phương thức không được hỗ trợ cho địa chỉ này.",
  rateLimited: "Quá nhiều yêu cầu. Vui lòng thử lại sau.",
  jobNotFound: "Không tìm thấy công việc trong hàng đợi.",
  invalidEncoding: "Nội dung gửi lên không phải UTF-8 hợp lệ.",
  serviceUnreachable: "Dịch vụ tạm thời không trả lời. Vui lòng thử lại sau.",
};
